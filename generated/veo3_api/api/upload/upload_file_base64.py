from typing import Any, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.upload_base_64_request import UploadBase64Request
from ...models.upload_error_response import UploadErrorResponse
from ...models.upload_response import UploadResponse
from ...types import Response, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``upload_file_base64`` as Python keywords (generated from the spec)."""

    file_name: str | None
    """File name with its extension. Optional: kie picks a random one when omitted; the same name overwrites the earlier file."""


def _get_kwargs(
    *,
    body: UploadBase64Request,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/file-base64-upload",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> UploadErrorResponse | UploadResponse:
    if response.status_code == 200:
        response_200 = UploadResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = UploadErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = UploadErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 405:
        response_405 = UploadErrorResponse.from_dict(response.json())

        return response_405

    if response.status_code == 500:
        response_500 = UploadErrorResponse.from_dict(response.json())

        return response_500

    response_default = UploadErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[UploadErrorResponse | UploadResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadBase64Request,
) -> Response[UploadErrorResponse | UploadResponse]:
    """Upload a base64-encoded file

     Stores a file sent as base64 (plain, or a `data:image/png;base64,...` URL); at most 10 MB
    recommended. Free of charge. The same name in the same `uploadPath` overwrites the earlier file (and
    the change may not show at once, because of caching), so clients should send unique names. Files are
    deleted after the retention (see `UploadResult`). Facts: kie's File Upload API docs
    (docs.kie.ai/file-upload-api/*), as summarised in the project's research note on spec fidelity, §3.

    Args:
        body (UploadBase64Request): A file sent inline as base64.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[UploadErrorResponse | UploadResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UploadBase64Request,
) -> UploadErrorResponse | UploadResponse | None:
    """Upload a base64-encoded file

     Stores a file sent as base64 (plain, or a `data:image/png;base64,...` URL); at most 10 MB
    recommended. Free of charge. The same name in the same `uploadPath` overwrites the earlier file (and
    the change may not show at once, because of caching), so clients should send unique names. Files are
    deleted after the retention (see `UploadResult`). Facts: kie's File Upload API docs
    (docs.kie.ai/file-upload-api/*), as summarised in the project's research note on spec fidelity, §3.

    Args:
        body (UploadBase64Request): A file sent inline as base64.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        UploadErrorResponse | UploadResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadBase64Request,
) -> Response[UploadErrorResponse | UploadResponse]:
    """Upload a base64-encoded file

     Stores a file sent as base64 (plain, or a `data:image/png;base64,...` URL); at most 10 MB
    recommended. Free of charge. The same name in the same `uploadPath` overwrites the earlier file (and
    the change may not show at once, because of caching), so clients should send unique names. Files are
    deleted after the retention (see `UploadResult`). Facts: kie's File Upload API docs
    (docs.kie.ai/file-upload-api/*), as summarised in the project's research note on spec fidelity, §3.

    Args:
        body (UploadBase64Request): A file sent inline as base64.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[UploadErrorResponse | UploadResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UploadBase64Request,
) -> UploadErrorResponse | UploadResponse | None:
    """Upload a base64-encoded file

     Stores a file sent as base64 (plain, or a `data:image/png;base64,...` URL); at most 10 MB
    recommended. Free of charge. The same name in the same `uploadPath` overwrites the earlier file (and
    the change may not show at once, because of caching), so clients should send unique names. Files are
    deleted after the retention (see `UploadResult`). Facts: kie's File Upload API docs
    (docs.kie.ai/file-upload-api/*), as summarised in the project's research note on spec fidelity, §3.

    Args:
        body (UploadBase64Request): A file sent inline as base64.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        UploadErrorResponse | UploadResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
