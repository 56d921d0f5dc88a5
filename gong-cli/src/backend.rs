//! Which Gong a command talks to: the real one (credentials from the
//! environment) or, with `--mock`, a mock server started in this process.

use gong_api::mock::MockServer;
use gong_api::{Client, ClientBuilder, ClientInfo as _, Credentials, RetryPolicy};

use crate::args::GlobalArgs;
use crate::failure::{Failure, note};

/// A ready client. With `--mock` it also owns the mock server, which stops
/// when this is dropped.
pub struct Backend {
    pub client: Client,
    _mock: Option<MockServer>,
}

impl Backend {
    /// Checks the options and credentials and builds the client. Sends
    /// nothing: apart from a mock that cannot start, every failure here is
    /// a usage or configuration error.
    pub async fn connect(args: &GlobalArgs) -> Result<Self, Failure> {
        let (builder, mock) = if args.mock {
            let server = MockServer::start()
                .await
                .map_err(|err| Failure::io("cannot start the embedded mock Gong server", err))?;
            note(&format!(
                "using the embedded mock Gong server at {} (fictional data)",
                server.base_url()
            ));
            (server.client_builder(), Some(server))
        } else {
            (real_gong(args)?, None)
        };
        let builder = match args.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        };
        let builder = match args.max_retries {
            Some(max_retries) => {
                builder.retry_policy(RetryPolicy::default().with_max_retries(max_retries))
            }
            None => builder,
        };
        let client = builder.build()?;
        // The checked URL: it cannot hold user info, unlike the raw option.
        tracing::debug!(
            base_url = client.baseurl(),
            mock = args.mock,
            "client ready"
        );
        Ok(Self {
            client,
            _mock: mock,
        })
    }
}

fn real_gong(args: &GlobalArgs) -> Result<ClientBuilder, Failure> {
    let credentials = Credentials::from_env().map_err(|err| {
        Failure::from(err).with_hint(
            "or try the embedded mock Gong server, which needs no credentials: add --mock",
        )
    })?;
    let builder = ClientBuilder::new().credentials(credentials);
    Ok(match &args.base_url {
        Some(url) => builder.base_url(url),
        None => builder,
    })
}
