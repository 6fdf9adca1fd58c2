"""The red-team pass for the chat endpoint (issue 12): deterministic, offline, bounded probes.

``passes.run_pass`` runs every probe of ``passes.all_probes()`` through one ``ChatClient``; the audit check
``checks.redteam.RedTeamPass`` and ``launchready redteam`` both call it.
"""
