"""mfa-auditor: find who can do privileged things in AWS without multi-factor authentication."""

__version__ = "0.1.0"
