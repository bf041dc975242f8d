//! How a failed connection is classified from the socket error codes the runtime names.

use wallet_linker::api::TransportError;

fn classify(codes: &[Option<&str>]) -> TransportError {
    TransportError::connection_failed(codes, "fetch failed".to_owned())
}

fn network(before_send: bool) -> TransportError {
    TransportError::Network {
        before_send,
        message: "fetch failed".to_owned(),
    }
}

#[test]
fn a_refusal_on_every_address_is_refused() {
    let refused = TransportError::Refused("fetch failed".to_owned());
    assert_eq!(classify(&[Some("ECONNREFUSED")]), refused);
    assert_eq!(
        classify(&[Some("ECONNREFUSED"), Some("ECONNREFUSED")]),
        refused
    );
}

#[test]
fn lookups_and_partial_refusals_were_not_sent() {
    assert_eq!(classify(&[Some("ENOTFOUND")]), network(true));
    assert_eq!(classify(&[Some("EAI_AGAIN")]), network(true));
    // One address refused, the other unreachable before sending: retryable, not a wrong address.
    assert_eq!(
        classify(&[Some("ECONNREFUSED"), Some("EADDRNOTAVAIL")]),
        network(true)
    );
}

#[test]
fn anything_else_may_have_been_sent() {
    // A browser names nothing; a reset or an unknown code may come after the request left.
    assert_eq!(classify(&[]), network(false));
    assert_eq!(classify(&[None]), network(false));
    assert_eq!(classify(&[Some("ECONNRESET")]), network(false));
    assert_eq!(classify(&[Some("ECONNREFUSED"), None]), network(false));
    assert_eq!(
        classify(&[Some("ENOTFOUND"), Some("UND_ERR_SOCKET")]),
        network(false)
    );
}
