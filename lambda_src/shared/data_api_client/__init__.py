"""Client for storefirst data APIs: `call("store-new-user", data)`.

Signs requests with SigV4 through botocore (already in every Lambda runtime), retries 429
and 5xx with full-jitter exponential backoff, forwards a correlation id, and turns the API's
JSON errors into typed exceptions.
"""

from data_api_client.client import (
    Conflict,
    DataApiClient,
    DataApiError,
    NotFound,
    Throttled,
    Unavailable,
    ValidationError,
    call,
)

__all__ = [
    "DataApiClient",
    "call",
    "DataApiError",
    "ValidationError",
    "NotFound",
    "Conflict",
    "Throttled",
    "Unavailable",
]
