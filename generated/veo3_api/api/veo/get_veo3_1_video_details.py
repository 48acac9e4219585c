from typing import Any, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.task_details_response import TaskDetailsResponse
from ...types import UNSET, Response, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``get_veo3_1_video_details`` as Python keywords (generated from the spec)."""


def _get_kwargs(
    *,
    task_id: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["taskId"] = task_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/veo/record-info",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | TaskDetailsResponse:
    if response.status_code == 200:
        response_200 = TaskDetailsResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | TaskDetailsResponse]:
    return Response(
        status_code=status_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
) -> Response[ErrorResponse | TaskDetailsResponse]:
    """Get a task's details

     The authoritative state of any Veo 3.1 task: generation, extension, 1080p or 4K. kie suggests
    polling about every 30 seconds; generation typically takes 2-5 minutes, an extension up to 10 or
    more. 422 answers use one of: `record is null.`, `Temporarily supports records within 14 days.`,
    `record result data is blank.`, `record status is not success.`, `record result data not exist.`,
    `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskDetailsResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
) -> ErrorResponse | TaskDetailsResponse | None:
    """Get a task's details

     The authoritative state of any Veo 3.1 task: generation, extension, 1080p or 4K. kie suggests
    polling about every 30 seconds; generation typically takes 2-5 minutes, an extension up to 10 or
    more. 422 answers use one of: `record is null.`, `Temporarily supports records within 14 days.`,
    `record result data is blank.`, `record status is not success.`, `record result data not exist.`,
    `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskDetailsResponse
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
) -> Response[ErrorResponse | TaskDetailsResponse]:
    """Get a task's details

     The authoritative state of any Veo 3.1 task: generation, extension, 1080p or 4K. kie suggests
    polling about every 30 seconds; generation typically takes 2-5 minutes, an extension up to 10 or
    more. 422 answers use one of: `record is null.`, `Temporarily supports records within 14 days.`,
    `record result data is blank.`, `record status is not success.`, `record result data not exist.`,
    `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | TaskDetailsResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
) -> ErrorResponse | TaskDetailsResponse | None:
    """Get a task's details

     The authoritative state of any Veo 3.1 task: generation, extension, 1080p or 4K. kie suggests
    polling about every 30 seconds; generation typically takes 2-5 minutes, an extension up to 10 or
    more. 422 answers use one of: `record is null.`, `Temporarily supports records within 14 days.`,
    `record result data is blank.`, `record status is not success.`, `record result data not exist.`,
    `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | TaskDetailsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
        )
    ).parsed
