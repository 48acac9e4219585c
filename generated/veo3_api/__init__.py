"""A client library for accessing kie.ai Veo 3.1 API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
