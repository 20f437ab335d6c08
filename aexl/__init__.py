"""aexl: the client-services rulebook (AE客户服务守则) as Excel tools."""

__version__ = "0.1.0"
