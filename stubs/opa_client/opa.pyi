from typing import Any

import requests

class OpaClient:
    _session: requests.Session
    root_url: str
    timeout: float | None
    def __init__(
        self,
        host: str = "localhost",
        port: int = 8181,
        version: str = "v1",
        ssl: bool | str = False,
        cert: str | tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        retries: int = 2,
        timeout: float | None = 1.5,
        token: str | None = None,
    ) -> None: ...
    def close_connection(self) -> None: ...
    def check_connection(self) -> bool: ...
    def get_data(self, data_name: str = "", query_params: dict[str, bool] | None = None) -> dict[str, Any]: ...
    def update_policy_from_string(self, new_policy: str, endpoint: str, rego_compat: bool = True) -> bool: ...
    def update_or_create_data(self, new_data: dict[str, Any], endpoint: str) -> bool: ...
    def query_rule(
        self,
        input_data: Any,
        package_path: str,
        rule_name: str | None = None,
        query_params: dict[str, str] | None = None,
    ) -> dict[str, Any]: ...
