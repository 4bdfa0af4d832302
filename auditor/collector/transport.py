"""Failures below the API (no answer, a non-AWS answer, a broken connection) as one line each.

A ``ClientError`` means AWS answered with an error code; the caller knows whether that call is
required, so it is passed on untouched. Everything else botocore raises from an API call means the
endpoint cannot be reached or is not AWS (a captive portal or proxy answering HTML, a port that
accepts and never answers, a TLS interception without its CA), so no later call can succeed: it
becomes a fatal ``EndpointError`` naming the operation and the endpoint, with a hint. The message
never quotes the response: botocore's ``ResponseParserError`` carries the whole body, which may be
a long HTML page and does not belong in a cron mail.

Timeouts are retried at most ``transport_attempts`` times in all, separately from
``max_attempts`` (which exists for IAM's throttling): ten retries of a 20 s read timeout is how a
silent endpoint once took eleven minutes to fail.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore import exceptions as bex
from botocore.client import BaseClient

from auditor.collector.aws_errors import fatal_error
from auditor.errors import AuditorError, CollectionError

NOT_AWS_HINT = "is --endpoint-url / AWS_ENDPOINT_URL / a proxy pointing somewhere that is not AWS?"
NETWORK_HINT = "check the network, HTTPS_PROXY / NO_PROXY and --endpoint-url / AWS_ENDPOINT_URL"
_TRANSPORT = (bex.ConnectionError, bex.HTTPClientError)
"""What botocore retries as transient without an answer (its ``TransientRetryableChecker``)."""
_OURS = (bex.ClientError, AuditorError, bex.ParamValidationError, bex.StubResponseError)
"""Passed on: AWS's own answers, our guard's refusal, and our bugs (wrong parameters)."""


class EndpointError(CollectionError):
    """The endpoint is unreachable or not AWS: fatal, never recorded as a mere gap."""


def redact(url: str) -> str:
    """``url`` without ``user:password@`` (a proxy URL may carry credentials)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def _short(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def endpoint_error(
    error: Exception, operation: str, endpoint: str, *, read_timeout: float, connect_timeout: float
) -> EndpointError:
    """One line for a failed call that got no usable answer; never the response body."""
    where = redact(endpoint)
    if isinstance(error, bex.ReadTimeoutError):
        return EndpointError(
            f"{operation}: {where} accepted the connection but sent no answer within "
            f"{read_timeout:g} s",
            hint=NOT_AWS_HINT,
        )
    if isinstance(error, bex.ConnectTimeoutError):
        return EndpointError(
            f"{operation}: connecting to {where} timed out after {connect_timeout:g} s",
            hint=NETWORK_HINT,
        )
    if isinstance(error, bex.ProxyConnectionError):
        proxy = redact(str(error.kwargs.get("proxy_url", "the proxy")))
        return EndpointError(
            f"{operation}: cannot connect to {where} through the proxy {proxy}",
            hint="check HTTPS_PROXY / HTTP_PROXY / NO_PROXY",
        )
    if isinstance(error, bex.SSLError):
        reason = _short(str(error.kwargs.get("error", "")) or type(error).__name__)
        return EndpointError(
            f"{operation}: TLS with {where} failed ({reason})",
            hint="a proxy that intercepts TLS needs AWS_CA_BUNDLE; " + NOT_AWS_HINT,
        )
    if isinstance(error, bex.EndpointConnectionError):
        return EndpointError(
            f"{operation}: cannot connect to the AWS endpoint {where}", hint=NETWORK_HINT
        )
    if isinstance(error, _TRANSPORT):
        return EndpointError(
            f"{operation}: the connection to {where} failed ({type(error).__name__})",
            hint=NETWORK_HINT,
        )
    if isinstance(error, bex.BotoCoreError):
        # Not a parser error (those are not BotoCoreErrors): the message carries no body.
        return EndpointError(f"{operation} via {where} failed: {_short(str(error))}")
    # botocore.parsers.ResponseParserError ("invalid XML received" + the body), or XML/JSON of
    # the wrong shape failing inside the parser (a KeyError on the result wrapper).
    return EndpointError(
        f"{operation}: the answer from {where} is not an AWS API response ({type(error).__name__})",
        hint=NOT_AWS_HINT,
    )


class TranslatingClient:
    """A botocore client whose API methods raise ``EndpointError`` instead of transport errors.

    Everything else (``meta``, ``exceptions``, paginators) is the wrapped client's own.
    """

    def __init__(
        self,
        client: BaseClient,
        *,
        profile: str | None,
        read_timeout: float,
        connect_timeout: float,
    ) -> None:
        self.client = client
        self._profile = profile
        self._timeouts = {"read_timeout": read_timeout, "connect_timeout": connect_timeout}
        self._prefix = client.meta.service_model.signing_name

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        api_name = self.client.meta.method_to_api_mapping.get(name)
        if api_name is None or not callable(attribute):
            return attribute
        return functools.partial(self._call, attribute, f"{self._prefix}:{api_name}")

    def _call(self, method: Any, operation: str, /, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except _OURS:
            raise
        except AssertionError:
            raise
        except Exception as error:  # only botocore's own call is inside the try
            fatal = fatal_error(error, self._profile)
            if fatal is not None and not isinstance(error, _TRANSPORT):
                raise fatal from None
            raise endpoint_error(
                error, operation, str(self.client.meta.endpoint_url), **self._timeouts
            ) from None


def cap_transport_retries(client: BaseClient, attempts: int) -> None:
    """Stop retrying a call that got no answer after ``attempts`` tries in all.

    botocore asks every ``needs-retry`` handler in turn and obeys the first non-``None`` answer;
    ``False`` means "do not retry". Registered first on the service's own event (handlers of a
    more specific event run before those of a general one), so it is asked before the retry
    handler that ``max_attempts`` configures, and it only ever answers for transport failures.
    """
    service = client.meta.service_model.service_id.hyphenize()

    def veto(**kwargs: Any) -> bool | None:
        failed = isinstance(kwargs.get("caught_exception"), _TRANSPORT)
        return False if failed and kwargs.get("attempts", 0) >= attempts else None

    handler: Callable[..., Any] = veto  # botocore's stubs say handlers return None; this one
    # must return False to veto, which botocore documents for ``needs-retry``.

    client.meta.events.register_first(
        f"needs-retry.{service}", handler, unique_id=f"mfa-auditor-transport-retries-{service}"
    )
