"""A local Smartsheet API 2.0 on loopback: the sample account, a control interface and fault injection.
See sandbox/README.md."""

from .control import RemoteSandbox
from .generator import sample_account
from .server import DEFAULT_TOKEN, SandboxServer
from .store import Store

__all__ = ["DEFAULT_TOKEN", "RemoteSandbox", "SandboxServer", "Store", "sample_account"]
