"""Deploy hardening engines: post-deploy smoke tests (``smoke``) and timed rollback drills (``drill``).

Kept apart from ``checks/deploy`` (which reads the repository during an audit) because these act on a
running deployment, each as its own command; both speak findings, so every report format serves them.
Import the submodules directly: this package imports nothing, so ``launchready --help`` stays fast.
"""
