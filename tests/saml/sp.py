#!/usr/bin/env python3
"""A SAML 2.0 service provider written by someone else (pysaml2), for the tests.

The integration tests (crates/secure-access/tests/integration/saml_*.rs) use it the
way a real service provider would use Secure Access, with no knowledge of our code:

  sp.py setup --state DIR --entity-id ID --acs URL [--sign-requests]
      Make the SP's key and certificate, write its metadata to DIR/sp.xml.
  sp.py login --state DIR --now UNIX [--binding redirect|post] [--force] [--passive]
              [--context URI] [--relay-state TEXT]
      Print {"url": ...} (HTTP-Redirect) or {"action": ..., "SAMLRequest": ...,
      "RelayState": ...} (HTTP-POST) for an AuthnRequest to the IdP of DIR/idp.xml,
      and remember its ID as outstanding.
  sp.py acs --state DIR --now UNIX < {"SAMLResponse": ..., "RelayState": ...}
      Validate the Response as pysaml2 does (signatures by xmlsec1 against the IdP's
      metadata, audience, recipient, times, InResponseTo an outstanding request) and
      print what it says. A Response for a request no longer outstanding (a replay) is
      refused. Exit status 1 and the reason on stderr when it is not valid.

--now sets this process's clock (the service under test runs on a manual clock).
"""

import argparse
import base64
import datetime as _datetime
import json
import os
import sys
import time as _time


def set_clock(now):
    """Shift time.time, time.gmtime and datetime.now to start at `now`."""
    offset = now - _time.time()
    real_time, real_gmtime = _time.time, _time.gmtime
    _time.time = lambda: real_time() + offset
    _time.gmtime = lambda secs=None: real_gmtime(_time.time() if secs is None else secs)

    class Shifted(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return _datetime.datetime.fromtimestamp(_time.time(), tz)

        @classmethod
        def utcnow(cls):
            return _datetime.datetime.fromtimestamp(_time.time(), _datetime.timezone.utc).replace(tzinfo=None)

    import saml2.cert
    import saml2.sigver
    import saml2.time_util

    for module in (saml2.time_util, saml2.sigver, saml2.cert):
        if hasattr(module, "datetime"):
            module.datetime = Shifted


def make_key(state):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test service provider")])
    start = _datetime.datetime(2020, 1, 1, tzinfo=_datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + _datetime.timedelta(days=365 * 20))
        .sign(key, hashes.SHA256())
    )
    with open(os.path.join(state, "sp.key"), "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
        )
    with open(os.path.join(state, "sp.crt"), "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))


def config(state, with_idp=True):
    from saml2 import BINDING_HTTP_POST
    from saml2.config import SPConfig
    from saml2.saml import NAMEID_FORMAT_PERSISTENT

    with open(os.path.join(state, "settings.json")) as f:
        settings = json.load(f)
    conf = {
        "entityid": settings["entity_id"],
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(settings["acs"], BINDING_HTTP_POST)]
                },
                "authn_requests_signed": settings["sign_requests"],
                "want_assertions_signed": True,
                "want_response_signed": True,
                "allow_unsolicited": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
            }
        },
        "key_file": os.path.join(state, "sp.key"),
        "cert_file": os.path.join(state, "sp.crt"),
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "accepted_time_diff": 30,
        "allow_unknown_attributes": True,
    }
    if with_idp:
        conf["metadata"] = {"local": [os.path.join(state, "idp.xml")]}
    sp_config = SPConfig()
    sp_config.load(conf)
    return sp_config


def outstanding_path(state):
    return os.path.join(state, "outstanding.json")


def load_outstanding(state):
    try:
        with open(outstanding_path(state)) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_outstanding(state, outstanding):
    with open(outstanding_path(state), "w") as f:
        json.dump(outstanding, f)


def setup(args):
    from saml2.metadata import create_metadata_string

    os.makedirs(args.state, exist_ok=True)
    with open(os.path.join(args.state, "settings.json"), "w") as f:
        json.dump(
            {"entity_id": args.entity_id, "acs": args.acs, "sign_requests": args.sign_requests},
            f,
        )
    make_key(args.state)
    metadata = create_metadata_string(None, config=config(args.state, with_idp=False), valid=None)
    with open(os.path.join(args.state, "sp.xml"), "wb") as f:
        f.write(metadata)


def idp_entity_id(client):
    return list(client.metadata.identity_providers())[0]


def login(args):
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.client import Saml2Client
    from saml2.samlp import RequestedAuthnContext
    from saml2.saml import AuthnContextClassRef
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    client = Saml2Client(config=config(args.state))
    idp = idp_entity_id(client)
    binding = BINDING_HTTP_REDIRECT if args.binding == "redirect" else BINDING_HTTP_POST
    destination = client.metadata.single_sign_on_service(idp, binding)[0]["location"]
    extra = {}
    if args.context:
        extra["requested_authn_context"] = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=args.context)], comparison="exact"
        )
    if args.force:
        extra["force_authn"] = "true"
    if args.passive:
        extra["is_passive"] = "true"
    sign = client.config.getattr("authn_requests_signed", "sp")
    # By HTTP-Redirect the query string is signed; by HTTP-POST the XML itself.
    if sign and binding == BINDING_HTTP_POST:
        extra.update(sign=True, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    else:
        extra["sign"] = False
    request_id, request = client.create_authn_request(destination, binding=BINDING_HTTP_POST, **extra)
    outstanding = load_outstanding(args.state)
    outstanding[request_id] = "/"
    save_outstanding(args.state, outstanding)
    if binding == BINDING_HTTP_REDIRECT:
        info = client.apply_binding(
            binding,
            str(request),
            destination,
            relay_state=args.relay_state,
            sign=sign,
            sigalg=SIG_RSA_SHA256 if sign else None,
        )
        url = dict(info["headers"])["Location"]
        print(json.dumps({"id": request_id, "url": url}))
    else:
        print(
            json.dumps(
                {
                    "id": request_id,
                    "action": destination,
                    "SAMLRequest": base64.b64encode(str(request).encode()).decode(),
                    "RelayState": args.relay_state,
                }
            )
        )


def acs(args):
    from saml2 import BINDING_HTTP_POST
    from saml2.client import Saml2Client

    posted = json.load(sys.stdin)
    if os.environ.get("SP_DEBUG_DIR"):
        with open(os.path.join(os.environ["SP_DEBUG_DIR"], "response.xml"), "wb") as f:
            f.write(base64.b64decode(posted["SAMLResponse"]))
    client = Saml2Client(config=config(args.state))
    outstanding = load_outstanding(args.state)
    try:
        response = client.parse_authn_request_response(
            posted["SAMLResponse"], BINDING_HTTP_POST, outstanding=outstanding
        )
        if response is None:
            raise ValueError("no response")
        if not response.status_ok():
            raise ValueError("status is not success")
    except Exception as error:  # the reason goes to the test's failure message
        print(f"refused: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    outstanding.pop(response.in_response_to, None)
    save_outstanding(args.state, outstanding)
    authn = response.authn_info()
    statement = response.assertion.authn_statement[0]
    print(
        json.dumps(
            {
                "name_id": response.name_id.text,
                "name_id_format": response.name_id.format,
                "issuer": response.issuer(),
                "in_response_to": response.in_response_to,
                "attributes": response.get_identity(),
                "authn_context": authn[0][0] if authn else None,
                "session_index": statement.session_index,
                "relay_state": posted.get("RelayState"),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--state", required=True)
    p.add_argument("--entity-id", required=True)
    p.add_argument("--acs", required=True)
    p.add_argument("--sign-requests", action="store_true")
    p = sub.add_parser("login")
    p.add_argument("--state", required=True)
    p.add_argument("--now", type=float, required=True)
    p.add_argument("--binding", choices=["redirect", "post"], default="redirect")
    p.add_argument("--force", action="store_true")
    p.add_argument("--passive", action="store_true")
    p.add_argument("--context")
    p.add_argument("--relay-state", default="/after-sign-in")
    p = sub.add_parser("acs")
    p.add_argument("--state", required=True)
    p.add_argument("--now", type=float, required=True)
    args = parser.parse_args()
    if getattr(args, "now", None):
        set_clock(args.now)
    {"setup": setup, "login": login, "acs": acs}[args.command](args)


if __name__ == "__main__":
    main()
