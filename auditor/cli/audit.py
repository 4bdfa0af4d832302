"""The audit commands: ``scan``, ``collect`` and ``report`` (options → one library call each).

Like every command module, this one only wires options into ``auditor.pipeline`` and prints
report paths; ``auditor.cli.errors`` turns failures into words and exit codes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from auditor.cli.app import app
from auditor.cli.errors import translated_errors
from auditor.cli.options import (
    BaselineOption,
    ConfigOption,
    EndpointOption,
    ExcelOption,
    FailOnOption,
    FormatOption,
    IdentityCenterRegionOption,
    NoIdentityCenterOption,
    OutOption,
    ProfileOption,
    RegionOption,
    VerboseOption,
    XlsxOption,
    fail_on_threshold,
)
from auditor.cli.output import Output
from auditor.cli.reporting import ReportChoice, analyze_and_report, check_report_choice
from auditor.cli.signin import (
    AthenaTableOption,
    AthenaWorkgroupOption,
    CloudtrailOption,
    SigninDaysOption,
    SigninRegionsOption,
    add_offline_signins,
    signin_bar,
    signin_request,
)
from auditor.collector.signin_attach import DEFAULT_SIGNIN_DAYS, SigninRequest
from auditor.config import AuditorConfig, AwsSettings, load_config
from auditor.errors import UsageError
from auditor.exit_codes import ExitCode
from auditor.models import Snapshot, verdict_gaps
from auditor.pipeline import Progress, collect_demo, collect_live, warm_up_analysis

DEFAULT_FORMATS = "html,csv,json"
SecurityHubOption = Annotated[
    bool,
    typer.Option(
        "--security-hub",
        help="Also import the findings (ASFF) into this account's Security Hub: the one write "
        "besides GenerateCredentialReport (see `permissions --security-hub`).",
    ),
]


def _settings(
    config_path: Path | None,
    profile: str | None,
    region: str | None,
    endpoint_url: str | None,
) -> tuple[AuditorConfig, AwsSettings]:
    config = load_config(config_path)
    aws = AwsSettings(
        profile=profile or config.aws.profile,
        region=region or config.aws.region,
        endpoint_url=endpoint_url or config.aws.endpoint_url,
    )
    return config, aws


def _identity_center(config: AuditorConfig, region: str | None, skip: bool) -> AuditorConfig:
    """``--identity-center-region`` / ``--no-identity-center`` over the config file's values."""
    collector = config.collector
    if skip:
        collector = dataclasses.replace(collector, identity_center=False)
    if region is not None:
        collector = dataclasses.replace(collector, identity_center_region=region)
    return dataclasses.replace(config, collector=collector)


def _refuse_aws_options_with_demo(demo: bool, *aws_options: str | None) -> None:
    if demo and any(option is not None for option in aws_options):
        raise UsageError(
            "--demo runs its own emulated AWS: drop --profile, --region and --endpoint-url"
        )


def _collect(
    demo: bool,
    config: AuditorConfig,
    aws: AwsSettings,
    progress: Progress | None,
    signins: SigninRequest | None = None,
) -> tuple[Snapshot, AuditorConfig]:
    """The demo's snapshot (with its exemptions added to ``config``) or the live account's,
    with its sign-ins when asked (the demo's moto has no LookupEvents: "not read")."""
    if demo:
        return collect_demo(config, progress=progress)
    snapshot = collect_live(
        config, aws, progress=progress, signins=signins, signin_progress=signin_bar(progress)
    )
    return snapshot, config


@app.command()
def scan(
    demo: Annotated[
        bool, typer.Option("--demo", help="Audit a built-in sample company in embedded moto.")
    ] = False,
    org: Annotated[
        bool, typer.Option("--org", help="Audit every active account of the AWS Organization.")
    ] = False,
    profiles: Annotated[
        str | None,
        typer.Option(help="Audit these comma-separated profiles (one account each)."),
    ] = None,
    role_name: Annotated[
        str | None, typer.Option(help="Role assumed in each member account (with --org).")
    ] = None,
    external_id: Annotated[
        str | None, typer.Option(help="ExternalId for the assumed role (with --org).")
    ] = None,
    accounts: Annotated[
        str | None, typer.Option(help="Only these comma-separated account ids (with --org).")
    ] = None,
    exclude_accounts: Annotated[
        str | None, typer.Option(help="Skip these comma-separated account ids (with --org).")
    ] = None,
    max_workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Accounts audited at once (with --org).")
    ] = None,
    audit_member_roots: Annotated[
        bool,
        typer.Option(
            "--audit-member-roots",
            help="Read each member account's root credentials in a read-only root session "
            "(sts:AssumeRoot, IAMAuditRootUserCredentials; with --org).",
        ),
    ] = False,
    signin_days: SigninDaysOption = DEFAULT_SIGNIN_DAYS,
    signin_regions: SigninRegionsOption = None,
    cloudtrail_athena: AthenaTableOption = None,
    athena_workgroup: AthenaWorkgroupOption = None,
    config_path: ConfigOption = None,
    profile: ProfileOption = None,
    region: RegionOption = None,
    endpoint_url: EndpointOption = None,
    out: OutOption = None,
    fail_on: FailOnOption = None,
    baseline: BaselineOption = None,
    excel: ExcelOption = True,
    xlsx: XlsxOption = False,
    formats: FormatOption = DEFAULT_FORMATS,
    security_hub: SecurityHubOption = False,
    verbose: VerboseOption = None,
    identity_center_region: IdentityCenterRegionOption = None,
    no_identity_center: NoIdentityCenterOption = False,
) -> None:
    """Collect, analyze and write reports for one account (or the demo, or an organization)."""
    output = Output(verbose)
    progress = output.progress
    with translated_errors():
        config, aws = _settings(config_path, profile, region, endpoint_url)
        signins = signin_request(
            signin_days, signin_regions, cloudtrail_athena, athena_workgroup, org=org
        )
        config = _identity_center(config, identity_center_region, no_identity_center)
        multi = org or profiles is not None
        if demo and multi:
            raise UsageError("--demo cannot be combined with --org or --profiles")
        if security_hub and (demo or multi):
            raise UsageError(
                "--security-hub imports into the audited account: not with --demo, --org or "
                "--profiles",
                hint="run `mfa-auditor scan --security-hub --profile NAME` per account",
            )
        choice = ReportChoice(
            out, fail_on_threshold(fail_on, config.fail_on), baseline, excel, xlsx, formats
        )
        check_report_choice(choice)
        _refuse_aws_options_with_demo(demo, profile, region, endpoint_url)
        if not org and (
            audit_member_roots
            or any(v is not None for v in (role_name, external_id, accounts, exclude_accounts))
        ):
            raise UsageError(
                "--role-name, --external-id, --accounts, --exclude-accounts and "
                "--audit-member-roots need --org"
            )
        if multi and (baseline is not None or not excel or xlsx or formats != DEFAULT_FORMATS):
            raise UsageError(
                "--baseline, --no-bom, --xlsx and --format apply to one account, not --org"
            )
        if multi:
            from auditor.cli.org import run_multi_account

            code = run_multi_account(
                config,
                aws,
                org=org,
                profiles=profiles,
                role_name=role_name,
                external_id=external_id,
                accounts=accounts,
                exclude_accounts=exclude_accounts,
                max_workers=max_workers,
                out=out,
                fail_on=choice.threshold,
                output=output,
                audit_member_roots=audit_member_roots,
                signins=signins,
            )
            raise typer.Exit(code=code)
        if not demo:
            warm_up_analysis(config)  # imports the analysis needs, while the collector waits on AWS
        snapshot, config = _collect(demo, config, aws, progress, signins)
        code = analyze_and_report(
            snapshot, config, choice, output, security_hub=aws if security_hub else None
        )
    raise typer.Exit(code=code)


@app.command()
def collect(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to save the snapshot JSON.")],
    demo: Annotated[
        bool, typer.Option("--demo", help="Collect the built-in sample company instead.")
    ] = False,
    signin_days: SigninDaysOption = DEFAULT_SIGNIN_DAYS,
    signin_regions: SigninRegionsOption = None,
    config_path: ConfigOption = None,
    profile: ProfileOption = None,
    region: RegionOption = None,
    endpoint_url: EndpointOption = None,
    verbose: VerboseOption = None,
    identity_center_region: IdentityCenterRegionOption = None,
    no_identity_center: NoIdentityCenterOption = False,
) -> None:
    """Collect a snapshot and save it for offline analysis (`mfa-auditor report`)."""
    from auditor.snapshot_io import save_snapshot

    output = Output(verbose)
    with translated_errors():
        _refuse_aws_options_with_demo(demo, profile, region, endpoint_url)
        if out.is_dir():
            raise UsageError(
                f"--out {out} is a folder; collect saves one snapshot file",
                hint=f"give a file name, e.g. --out {out / 'snapshot.json'}",
            )
        config, aws = _settings(config_path, profile, region, endpoint_url)
        signins = signin_request(signin_days, signin_regions)
        config = _identity_center(config, identity_center_region, no_identity_center)
        snapshot, _ = _collect(demo, config, aws, output.progress, signins)
        save_snapshot(snapshot, out)
        output.result(str(out))
        for gap in snapshot.gaps:
            output.warn(f"Warning: incomplete data: {gap.source}: {gap.reason}")
    incomplete = verdict_gaps(snapshot.gaps)
    raise typer.Exit(code=ExitCode.INCOMPLETE if incomplete else ExitCode.CLEAN)


@app.command()
def report(
    snapshot_file: Annotated[
        Path | None,
        typer.Argument(help="A snapshot saved by `mfa-auditor collect`.", show_default=False),
    ] = None,
    aws_cli_export: Annotated[
        Path | None,
        typer.Option(
            "--aws-cli-export",
            help="Output of `aws iam get-account-authorization-details` (instead of a snapshot).",
        ),
    ] = None,
    credential_report: Annotated[
        Path | None,
        typer.Option(help="Credential report CSV downloaded from the console (with exports)."),
    ] = None,
    virtual_mfa_devices: Annotated[
        Path | None,
        typer.Option(
            "--virtual-mfa-devices",
            help="Output of `aws iam list-virtual-mfa-devices` (with exports).",
        ),
    ] = None,
    account_id: Annotated[
        str | None, typer.Option(help="Account id for exports (default: read from ARNs).")
    ] = None,
    cloudtrail: CloudtrailOption = None,
    signin_days: SigninDaysOption = DEFAULT_SIGNIN_DAYS,
    identity_center_export: Annotated[
        Path | None,
        typer.Option(
            "--identity-center-export",
            help="Folder of `aws sso-admin` / `aws identitystore` outputs (with exports).",
        ),
    ] = None,
    config_path: ConfigOption = None,
    out: OutOption = None,
    fail_on: FailOnOption = None,
    baseline: BaselineOption = None,
    excel: ExcelOption = True,
    xlsx: XlsxOption = False,
    formats: FormatOption = DEFAULT_FORMATS,
    verbose: VerboseOption = None,
) -> None:
    """Analyze a saved snapshot (or AWS CLI exports) offline, without AWS credentials."""
    output = Output(verbose)
    with translated_errors():
        config = load_config(config_path)
        choice = ReportChoice(
            out, fail_on_threshold(fail_on, config.fail_on), baseline, excel, xlsx, formats
        )
        check_report_choice(choice)
        snapshot = _offline_snapshot(
            snapshot_file,
            aws_cli_export,
            credential_report,
            virtual_mfa_devices,
            account_id,
            identity_center_export,
        )
        snapshot = add_offline_signins(snapshot, cloudtrail, signin_days, output.progress)
        code = analyze_and_report(snapshot, config, choice, output)
    raise typer.Exit(code=code)


def _offline_snapshot(
    snapshot_file: Path | None,
    aws_cli_export: Path | None,
    credential_report: Path | None,
    virtual_mfa_devices: Path | None,
    account_id: str | None,
    identity_center_export: Path | None = None,
) -> Snapshot:
    if snapshot_file is None and aws_cli_export is None:
        raise UsageError("give a snapshot file, or --aws-cli-export FILE")
    if snapshot_file is not None and aws_cli_export is not None:
        raise UsageError("give a snapshot file or --aws-cli-export FILE, not both")
    if snapshot_file is not None:
        extras = (credential_report, virtual_mfa_devices, account_id, identity_center_export)
        if any(v is not None for v in extras):
            raise UsageError(
                "--credential-report, --virtual-mfa-devices, --account-id and "
                "--identity-center-export go with --aws-cli-export"
            )
        from auditor.snapshot_io import load_snapshot

        return load_snapshot(snapshot_file)
    from auditor.collector import load_aws_cli_export

    assert aws_cli_export is not None
    return load_aws_cli_export(
        aws_cli_export,
        credential_report,
        account_id=account_id,
        virtual_mfa_devices=virtual_mfa_devices,
        identity_center=identity_center_export,
    )
