//! What each command does.

use gong_api::mock::{
    MOCK_ACCESS_KEY, MOCK_ACCESS_KEY_SECRET, MOCK_ACCESS_TOKEN, MOCK_PROFILES, MockServer,
};
use gong_api::{Client, Credentials};

use crate::args::{Cli, Command, Format, MockCommand, PermissionProfileCommand};
use crate::backend::Backend;
use crate::failure::{Failure, note};
use crate::output;

pub async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::PermissionProfile(PermissionProfileCommand::Users { profile_id, format }) => {
            let backend = Backend::connect(&cli.global).await?;
            profile_users(&backend.client, &profile_id, format).await
        }
        Command::Mock(MockCommand::Serve { port }) => mock_serve(port).await,
    }
}

/// `gong permission-profile users`.
async fn profile_users(client: &Client, profile_id: &str, format: Format) -> Result<(), Failure> {
    let answer = client
        .list_permission_profile_users()
        .profile_id(profile_id)
        .send()
        .await
        .map_err(gong_api::Error::from)?;
    let users = answer.into_inner().users;
    tracing::debug!(users = users.len(), "users listed");
    if users.is_empty() {
        note(&format!("permission profile {profile_id} has no users"));
    }
    output::print_users(&users, format)
}

/// `gong mock serve`: the URL alone on stdout, for scripts; how to use it
/// on stderr, for people.
async fn mock_serve(port: u16) -> Result<(), Failure> {
    let server = MockServer::bind(port).await.map_err(|err| {
        Failure::io(
            &format!("cannot start the mock Gong server on 127.0.0.1 port {port}"),
            err,
        )
    })?;
    let url = server.base_url();
    output::print_line(&url)?;

    let mut help = format!(
        "mock Gong server with fictional data on {url}; Ctrl-C stops it\n\
         point the CLI at it:\n  \
         export GONG_BASE_URL={url}\n  \
         export {token_var}={MOCK_ACCESS_TOKEN}\n\
         or with the access key (a token, when set, wins over it):\n  \
         unset {token_var}; export {key_var}={MOCK_ACCESS_KEY} {secret_var}={MOCK_ACCESS_KEY_SECRET}\n\
         permission profiles:",
        token_var = Credentials::ACCESS_TOKEN_VAR,
        key_var = Credentials::ACCESS_KEY_VAR,
        secret_var = Credentials::ACCESS_KEY_SECRET_VAR,
    );
    for profile in MOCK_PROFILES {
        help.push_str(&format!(
            "\n  {}  {} ({} users)",
            profile.id,
            profile.name,
            profile.users.len()
        ));
    }
    note(&help);

    tokio::signal::ctrl_c()
        .await
        .map_err(|err| Failure::io("cannot wait for Ctrl-C", err))?;
    drop(server);
    note("mock Gong server stopped");
    Ok(())
}
