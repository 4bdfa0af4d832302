"""Which regions to read sign-in events from, and why these.

Root sign-ins are logged in us-east-1; IAM users who use the global sign-in endpoint can be logged
in us-east-2, eu-north-1 or ap-southeast-2 as well, and regional sign-in endpoints log in their own
region (CloudTrail User Guide, "AWS Management Console sign-in events"). Identity Center logs its
sign-ins in its home region. So the default is those four regions, the Identity Center home
region, and every enabled region when ``account:ListRegions`` is allowed (a sign-in can land
wherever a regional endpoint was used); ``--signin-regions`` replaces the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from auditor.collector.aws_errors import error_code
from auditor.collector.transport import EndpointError

DEFAULT_SIGNIN_REGIONS = ("us-east-1", "us-east-2", "eu-north-1", "ap-southeast-2")


def choose_regions(
    account_client: Any | None,
    *,
    override: Sequence[str] | None = None,
    identity_center_region: str | None = None,
) -> tuple[tuple[str, ...], list[str]]:
    """The regions to read and a note when the enabled regions could not be listed.

    ``account_client`` is a guarded ``account`` client, or ``None`` to skip the listing.
    """
    if override:
        return tuple(dict.fromkeys(override)), []
    regions = list(DEFAULT_SIGNIN_REGIONS)
    if identity_center_region:
        regions.append(identity_center_region)
    notes: list[str] = []
    if account_client is not None:
        try:
            regions.extend(enabled_regions(account_client))
        except ClientError as error:
            notes.append(
                f"Enabled regions could not be listed (account:ListRegions: {error_code(error)}): "
                f"sign-ins were read in {', '.join(dict.fromkeys(regions))} only; grant "
                "account:ListRegions or pass --signin-regions to read every region used."
            )
        except (BotoCoreError, EndpointError) as error:
            notes.append(f"Enabled regions could not be listed ({error}); read the defaults.")
    return tuple(dict.fromkeys(regions)), notes


def enabled_regions(account_client: Any) -> list[str]:
    """Every region enabled for the account (``ENABLED`` and ``ENABLED_BY_DEFAULT``), paged."""
    names: list[str] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {
            "RegionOptStatusContains": ["ENABLED", "ENABLED_BY_DEFAULT"],
            "MaxResults": 50,
        }
        if token:
            params["NextToken"] = token
        page = account_client.list_regions(**params)
        names.extend(str(region["RegionName"]) for region in page.get("Regions", []))
        token = page.get("NextToken")
        if not token:
            return sorted(names)
