//! Answer bodies shaped like Gong's, of any size.

use bytes::Bytes;

const FIRST: &[&str] = &[
    "Maya", "Lars", "Priya", "Tom", "Amara", "Kenji", "Sofia", "Mateo", "Ingrid", "Omar", "Lucía",
    "Wei", "Noah", "Zanele", "Élodie", "Ravi",
];
const LAST: &[&str] = &[
    "Okafor", "Jönsson", "Raman", "O'Brien", "Haddad", "Tanaka", "Rossi", "García", "Berg",
    "Nakamura", "Fischer", "Chen", "Williams", "Dlamini", "Moreau", "Patel",
];

/// A 200 body with `users` users: `{"requestId":…,"users":[{"id":…,
/// "fullName":…,"emailAddress":…},…]}`, ids of 15 digits (like the spec's
/// example), names with a few non-ASCII letters and quotes, about 85 bytes
/// per user; every 50th user
/// has `null` fields, as real Gong sends.
pub fn users_body(users: usize) -> Bytes {
    let mut out = String::with_capacity(64 + users * 96);
    out.push_str(r#"{"requestId":"4al018gzaztcr8nbukw","users":["#);
    for n in 0..users {
        if n > 0 {
            out.push(',');
        }
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n / FIRST.len()) % LAST.len()];
        let id = 234_599_484_848_423u64 + (n as u64) * 7_919_013;
        if n % 50 == 49 {
            out.push_str(&format!(
                r#"{{"id":"{id}","fullName":null,"emailAddress":"svc{n}@acme.io"}}"#
            ));
        } else {
            let name = serde_json::to_string(&format!("{first} {last}")).expect("a string");
            let email = format!("{}{n}@acme.io", first.to_lowercase());
            out.push_str(&format!(
                r#"{{"id":"{id}","fullName":{name},"emailAddress":"{email}"}}"#
            ));
        }
    }
    out.push_str("]}");
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_thousand_users_make_about_8_mb_of_json() {
        let body = users_body(100_000);
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["users"].as_array().unwrap().len(), 100_000);
        assert!(
            (7_500_000..9_500_000).contains(&body.len()),
            "{}",
            body.len()
        );
    }
}
