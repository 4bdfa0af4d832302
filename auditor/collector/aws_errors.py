"""Turn botocore's exceptions into one-line ``CollectionError``s a person can act on.

botocore reports the same situation in many shapes (a missing profile, an SSO cache with no
token, an expired session token in a ``ClientError``, a refused connection). The operator of a
cron job needs one sentence and the command that fixes it, so every shape is classified here, once.
"""

from __future__ import annotations

from botocore import exceptions as bex

from auditor.errors import AccessDeniedError, AuditorError, CollectionError, UsageError

ACCESS_DENIED_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"}
)
THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
    }
)
_EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired"})
_INVALID_CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "AuthFailure",
        "InvalidAccessKeyId",
        "IncompleteSignature",
        "MissingAuthenticationToken",
    }
)
_SSO_ERRORS: tuple[type[Exception], ...] = (
    bex.SSOError,
    bex.TokenRetrievalError,
    *(getattr(bex, name) for name in ("LoginError",) if hasattr(bex, name)),
)
_CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    bex.ConnectionError,
    bex.HTTPClientError,
)
POLICY_HINT = "auditor/collector/required_iam_policy.json lists every permission mfa-auditor needs"


def error_code(error: bex.ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def error_message(error: bex.ClientError) -> str:
    """AWS's message, squeezed onto one line (it may quote a multi-line policy)."""
    message = str(error.response.get("Error", {}).get("Message", "")).strip()
    return " ".join(message.split())


def is_access_denied(error: Exception) -> bool:
    return isinstance(error, bex.ClientError) and error_code(error) in ACCESS_DENIED_CODES


def is_throttled(error: Exception) -> bool:
    return isinstance(error, bex.ClientError) and error_code(error) in THROTTLING_CODES


def profile_not_found(error: bex.ProfileNotFound) -> UsageError:
    """A mistyped ``--profile`` or ``AWS_PROFILE`` is the caller's mistake (exit 2), like
    ``--profiles``; the name comes from botocore's error, since ``AWS_PROFILE`` never reaches us."""
    name = error.kwargs.get("profile")
    return UsageError(
        f"AWS profile {name!r} not found" if name else "AWS profile not found",
        hint="see `aws configure list-profiles`; check --profile and AWS_PROFILE",
    )


def fatal_error(error: Exception, profile: str | None) -> AuditorError | None:
    """The error if it makes every further call pointless (credentials, network), else ``None``.

    A ``CollectionError``, except for an unknown profile (a ``UsageError``, see above).
    """
    login = f"aws sso login --profile {profile}" if profile else "aws sso login"
    if isinstance(error, bex.NoCredentialsError):
        return CollectionError(
            "no AWS credentials found",
            hint="pass --profile, set AWS_PROFILE, or run `aws configure`",
        )
    if isinstance(error, bex.PartialCredentialsError):
        return CollectionError(f"incomplete AWS credentials: {error}", hint="check the profile")
    if isinstance(error, _SSO_ERRORS):
        return CollectionError(
            "the AWS SSO session is missing or has expired", hint=f"run `{login}`"
        )
    if isinstance(error, bex.CredentialRetrievalError):
        return CollectionError(f"cannot obtain AWS credentials: {error}", hint="check the profile")
    if isinstance(error, bex.ProfileNotFound):
        return profile_not_found(error)
    if isinstance(error, _CONNECTION_ERRORS):
        return CollectionError(
            f"cannot reach the AWS endpoint: {error}",
            hint="check the network, proxy settings and --endpoint-url",
        )
    if isinstance(error, bex.ClientError):
        code = error_code(error)
        if code in _EXPIRED_CODES:
            return CollectionError(
                "the AWS session token has expired",
                hint=f"run `{login}` or refresh the temporary credentials",
            )
        if code in _INVALID_CREDENTIAL_CODES:
            return CollectionError(
                f"AWS rejected the credentials ({code}: {error_message(error)})",
                hint="check the access key, secret and session token of the profile",
            )
    return None


def required_call_error(error: Exception, operation: str, profile: str | None) -> AuditorError:
    """Why a call the audit cannot do without failed; ``operation`` is ``iam:Name``."""
    fatal = fatal_error(error, profile)
    if fatal is not None:
        return fatal
    if is_access_denied(error):
        return AccessDeniedError(
            f"access denied to {operation}, which mfa-auditor needs",
            hint=f"grant {operation}; {POLICY_HINT}",
        )
    if is_throttled(error):
        return CollectionError(
            f"AWS kept throttling {operation} after all retries",
            hint="run again later, or raise collector.max_attempts in the config",
        )
    if isinstance(error, bex.ClientError):
        return CollectionError(f"{operation} failed: {error_code(error)}: {error_message(error)}")
    return CollectionError(f"{operation} failed: {error}")


def gap_reason(error: Exception, operation: str) -> str:
    """The sentence recorded in a ``CollectionGap`` when an optional call fails."""
    if is_access_denied(error):
        return f"access denied to {operation} (grant it to collect this data)"
    if is_throttled(error):
        return f"AWS kept throttling {operation} after all retries"
    if isinstance(error, bex.ClientError):
        return f"{operation} failed: {error_code(error)}: {error_message(error)}"
    return f"{operation} failed: {error}"
