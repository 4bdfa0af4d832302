"""One principal's running totals while records stream past (``Tally``), frozen at the end.

Order-independent by construction: counts, first and last by comparison, the first three
addresses and devices seen. Kept apart from the aggregator so each stays short.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from auditor.signin.records import PrincipalSignins, SigninKind

MAX_ADDRESSES = 3
MAX_DEVICES = 3


def device_type(identifier: str) -> str:
    """``u2f/`` ARNs are FIDO keys, ``mfa/`` ARNs virtual devices, a plain serial hardware TOTP."""
    if ":u2f/" in identifier:
        return "fido"
    if ":mfa/" in identifier:
        return "virtual"
    return "hardware_totp"


@dataclass
class Tally:
    kind: SigninKind
    account_id: str
    name: str
    arn: str = ""
    user_id: str = ""
    successes: int = 0
    with_mfa: int = 0
    without_mfa: int = 0
    failures: int = 0
    external_idp: int = 0
    unknown_factors: int = 0
    first: datetime | None = None
    last: datetime | None = None
    last_mfa: bool | None = None
    first_without: datetime | None = None
    last_without: datetime | None = None
    addresses: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    regions: set[str] = field(default_factory=set)
    credential_types: set[str] = field(default_factory=set)

    def success(self, time: datetime, mfa: bool | None, ip: str, region: str) -> None:
        self.successes += 1
        self.regions.add(region)
        if self.first is None or time < self.first:
            self.first = time
        if self.last is None or time >= self.last:
            self.last, self.last_mfa = time, mfa
        if mfa is True:
            self.with_mfa += 1
        elif mfa is False:
            self.without_mfa += 1
            if self.first_without is None or time < self.first_without:
                self.first_without = time
            if self.last_without is None or time > self.last_without:
                self.last_without = time
            if ip and ip not in self.addresses and len(self.addresses) < MAX_ADDRESSES:
                self.addresses.append(ip)

    def freeze(self) -> PrincipalSignins:
        return PrincipalSignins(
            kind=self.kind,
            account_id=self.account_id,
            name=self.name,
            arn=self.arn,
            successes=self.successes,
            with_mfa=self.with_mfa,
            without_mfa=self.without_mfa,
            failures=self.failures,
            first=self.first,
            last=self.last,
            last_mfa=self.last_mfa,
            first_without_mfa=self.first_without,
            last_without_mfa=self.last_without,
            addresses_without_mfa=tuple(self.addresses),
            mfa_devices=tuple(self.devices),
            mfa_device_types=tuple(sorted({device_type(d) for d in self.devices})),
            external_idp=self.external_idp,
            unknown_factors=self.unknown_factors,
            regions=tuple(sorted(r for r in self.regions if r)),
            user_id=self.user_id,
            credential_types=tuple(sorted(self.credential_types)),
        )
