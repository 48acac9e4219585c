from typing import Any, TypedDict

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.video_1080p_response import Video1080PResponse
from ...types import UNSET, Response, Unset, status_from_int


class Options(TypedDict, total=False):
    """Optional request fields of ``get_veo3_1_1080p_video`` as Python keywords (generated from the spec)."""

    index: int | None
    """Which of the task's videos (0-based). The 4K docs state a default of 0; the 1080p docs state none, so the same default is assumed."""


def _get_kwargs(
    *,
    task_id: str,
    index: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["taskId"] = task_id

    params["index"] = index

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/veo/get-1080p-video",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Video1080PResponse:
    if response.status_code == 200:
        response_200 = Video1080PResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | Video1080PResponse]:
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
    index: int | Unset = UNSET,
) -> Response[ErrorResponse | Video1080PResponse]:
    """Get the 1080p version of a video

     Returns the 1080p URL of a successful generation task. Making it takes 1-3 extra minutes; until then
    the answer is a non-200 code (kie's text: `1080P is processing. It should be ready in 1-2 minutes.
    Please check back shortly.`); retry every 20-30 seconds. A video that went through 1080p can no
    longer be extended. 422 answers use one of: `record is null.`, `Temporarily supports records within
    14 days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.
        index (int | Unset): Which of the task's videos (0-based). The 4K docs state a default of
            0; the 1080p docs state none, so the same default is assumed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Video1080PResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        index=index,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
    index: int | Unset = UNSET,
) -> ErrorResponse | Video1080PResponse | None:
    """Get the 1080p version of a video

     Returns the 1080p URL of a successful generation task. Making it takes 1-3 extra minutes; until then
    the answer is a non-200 code (kie's text: `1080P is processing. It should be ready in 1-2 minutes.
    Please check back shortly.`); retry every 20-30 seconds. A video that went through 1080p can no
    longer be extended. 422 answers use one of: `record is null.`, `Temporarily supports records within
    14 days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.
        index (int | Unset): Which of the task's videos (0-based). The 4K docs state a default of
            0; the 1080p docs state none, so the same default is assumed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Video1080PResponse
    """

    return sync_detailed(
        client=client,
        task_id=task_id,
        index=index,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
    index: int | Unset = UNSET,
) -> Response[ErrorResponse | Video1080PResponse]:
    """Get the 1080p version of a video

     Returns the 1080p URL of a successful generation task. Making it takes 1-3 extra minutes; until then
    the answer is a non-200 code (kie's text: `1080P is processing. It should be ready in 1-2 minutes.
    Please check back shortly.`); retry every 20-30 seconds. A video that went through 1080p can no
    longer be extended. 422 answers use one of: `record is null.`, `Temporarily supports records within
    14 days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.
        index (int | Unset): Which of the task's videos (0-based). The 4K docs state a default of
            0; the 1080p docs state none, so the same default is assumed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Video1080PResponse]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        index=index,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    task_id: str,
    index: int | Unset = UNSET,
) -> ErrorResponse | Video1080PResponse | None:
    """Get the 1080p version of a video

     Returns the 1080p URL of a successful generation task. Making it takes 1-3 extra minutes; until then
    the answer is a non-200 code (kie's text: `1080P is processing. It should be ready in 1-2 minutes.
    Please check back shortly.`); retry every 20-30 seconds. A video that went through 1080p can no
    longer be extended. 422 answers use one of: `record is null.`, `Temporarily supports records within
    14 days.`, `record result data is blank.`, `record status is not success.`, `record result data not
    exist.`, `record result data is empty.`

    Args:
        task_id (str): Opaque task identifier returned by a create call (generate, extend, 4K).
            Its format is not documented; treat it as an opaque string.
        index (int | Unset): Which of the task's videos (0-based). The 4K docs state a default of
            0; the 1080p docs state none, so the same default is assumed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Video1080PResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            task_id=task_id,
            index=index,
        )
    ).parsed
