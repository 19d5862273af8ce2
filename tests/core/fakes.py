"""Obviously fake credentials of every kind, shared by the redaction and leak tests."""

from __future__ import annotations

import base64

ACCOUNT_ID = "00000000-0000-4000-8000-000000000000"
AGENT_TOKEN = "dal:FAKE_test_agent_token_000001"
FRA_TOKEN = "fra-a:FAKE_test_agent_token_000002"
CUSTOMER_TOKEN = "dal:FAKE_test_customer_tok_0003"
REFRESH_TOKEN = "FAKE_test_refresh_token_000004"
PAT = "dal:FAKE_test_pat_value_0000005"
PAT_BASIC = base64.b64encode(f"{ACCOUNT_ID}:{PAT}".encode()).decode()
LEGACY_BASIC = base64.b64encode(b"someone@example.org:FAKE_test_legacy_pat_06").decode()
CLIENT_SECRET = "fake0000000000000000000000000007"
AUTH_CODE = "dal:FAKE_test_auth_code_0000008"
ENCODED_TOKEN = "dal%3AFAKE_test_encoded_tok_0009"
STRIPE_KEY = "sk_test_FAKEfakeFAKEfake000010"

ALL_RAW = [
    AGENT_TOKEN, FRA_TOKEN, CUSTOMER_TOKEN, REFRESH_TOKEN, PAT, PAT_BASIC, LEGACY_BASIC,
    CLIENT_SECRET, AUTH_CODE, ENCODED_TOKEN, STRIPE_KEY,
]
# Parts that must never survive redaction (the redacted form keeps a short prefix and the last 4).
SECRET_MIDDLES = [raw[6:-4] for raw in ALL_RAW]
