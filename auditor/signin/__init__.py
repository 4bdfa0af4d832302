"""Sign-in evidence from CloudTrail: who actually signed in without MFA.

Pure code, no AWS: ``parse`` turns one CloudTrail record into a ``SigninEvent``, ``aggregate``
folds events into per-principal totals over a window, ``stream`` and ``files`` read CloudTrail
log files incrementally (a month of an organization trail is gigabytes, so records are decoded
one at a time and only the totals stay in memory). The collector's LookupEvents and Athena
readers feed the same aggregator.

The package ``__init__`` imports nothing on purpose: ``auditor.models`` imports
``auditor.signin.records``, and the other modules import ``auditor.models``.
"""
