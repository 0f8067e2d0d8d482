class DocumentMetadata:
    title: str | None
    lang: str | None
    created: str | None
    modified: str | None
    def __init__(
        self,
        title: str | None = ...,
        *,
        lang: str | None = ...,
        created: str | None = ...,
        modified: str | None = ...,
    ) -> None: ...
