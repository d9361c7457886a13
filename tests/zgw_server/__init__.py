"""A ZGW API test server (Zaken, Documenten, Catalogi) for the Keukentafel tests.

See ``tests/zgw_server/README.md`` for the public API, the validation rules
and the fault injection.
"""

from .catalog import CatalogURLs
from .faults import Fault, FaultInjector, FaultKind
from .server import ContractViolation, RequestRecord, ServerConfig, ZGWServer

__all__ = [
    "CatalogURLs",
    "ContractViolation",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "RequestRecord",
    "ServerConfig",
    "ZGWServer",
]
