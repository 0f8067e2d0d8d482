from typing import Any

from .pdf.metadata import DocumentMetadata

class URLFetcher:
    def __init__(self, *, allowed_protocols: Any = ..., **kwargs: Any) -> None: ...

class CSS:
    def __init__(self, *, string: str) -> None: ...

class Document:
    pages: list[Any]
    metadata: DocumentMetadata
    url_fetcher: Any
    font_config: Any
    color_profiles: Any
    output_intent: Any
    def __init__(
        self,
        pages: list[Any],
        metadata: DocumentMetadata,
        url_fetcher: Any,
        font_config: Any,
        color_profiles: Any,
        output_intent: Any,
    ) -> None: ...
    def write_pdf(self, target: None = ..., **options: Any) -> bytes: ...

class HTML:
    def __init__(self, *, string: str, url_fetcher: Any = ..., base_url: str | None = ...) -> None: ...
    def render(self, *, stylesheets: list[CSS] | None = ..., **options: Any) -> Document: ...
