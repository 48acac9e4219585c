from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.generate_request import GenerateRequest
from ...models.generate_response import GenerateResponse
from ...types import Response, status_from_int


def _get_kwargs(
    *,
    body: GenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/veo/generate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GenerateResponse:
    if response.status_code == 200:
        response_200 = GenerateResponse.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorResponse.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | GenerateResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorResponse | GenerateResponse]:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GenerateResponse]
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
    body: GenerateRequest,
) -> ErrorResponse | GenerateResponse | None:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GenerateResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorResponse | GenerateResponse]:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GenerateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> ErrorResponse | GenerateResponse | None:
    """Generate a Veo 3.1 video

     Creates a generation task (text-to-video, first/last frames, or reference images). A 200 means the
    task was created, not finished: poll record-info with the returned `taskId` or wait for the
    callback. Results are kept 14 days. kie allows 20 create requests per 10 seconds per account; beyond
    that it answers 429.

    Args:
        body (GenerateRequest): Body of a generation request. Field spellings follow the Veo 3.1
            docs (`aspect_ratio` in snake_case; the older `aspectRatio` spelling is not accepted).
            Unknown fields are refused rather than silently ignored, so a misspelt option fails before
            any credits are spent.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GenerateResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
