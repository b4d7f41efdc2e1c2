"""Entra ID as the organisation sync reads it, through Microsoft Graph: a group's transitive
members (application permission `GroupMember.Read.All`; without `User.Read.All` Graph lists
the members with their ids only, no UPN or name) and which users still exist (`User.Read.All`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.config import GraphSettings
from bot.graph import GraphClient, GraphError, msal_token, segment
from domain.org import EMAIL_PATTERN as _EMAIL
from domain.org import GUID_PATTERN as _GUID
from domain.org import normalise_upn
from domain.org_sync import DirectoryUser
from services.org_sync import DirectoryError, GroupNotFound

PAGE_SIZE = "999"  # the most Graph gives per page of members
IDS_PER_CALL = 15  # the most values Graph takes in one `in (…)` filter
USER_TYPE = "#microsoft.graph.user"


def _refusal(error: GraphError, what: str) -> DirectoryError:
    if error.status in (401, 403):
        return DirectoryError(
            f"Microsoft Graph refused to read {what} ({error.status} {error.code}): does the "
            "app registration have the application permissions GroupMember.Read.All and "
            "User.Read.All with admin consent?"
        )
    return DirectoryError(f"Microsoft Graph could not read {what}: {error}")


def _quoted(values: Sequence[str]) -> str:
    """OData string literals: a quote inside one is doubled (o'brien@uni.dk)."""
    return ",".join("'" + value.replace("'", "''") + "'" for value in values)


def _user(item: dict[str, Any], *, typed: bool = True) -> DirectoryUser | None:
    """A user from a Graph answer (`typed`: from a collection of directory objects, where
    only `#microsoft.graph.user` items are users)."""
    user_id = item.get("id")
    if typed and item.get("@odata.type") != USER_TYPE:
        return None
    if not isinstance(user_id, str) or not user_id:
        return None
    upn = item.get("userPrincipalName")
    name = item.get("displayName")
    return DirectoryUser(
        id=user_id.lower(),
        upn=normalise_upn(upn) if isinstance(upn, str) and upn else None,
        name=name if isinstance(name, str) and name else None,
    )


@dataclass
class EntraDirectory:
    """`services.org_sync.Directory` on Microsoft Graph."""

    graph: GraphClient

    async def group_members(self, group_id: str) -> list[DirectoryUser]:
        """Every user in the group, nested groups included (devices and groups skipped),
        page after page."""
        params = {"$select": "id,userPrincipalName,displayName", "$top": PAGE_SIZE}
        users: list[DirectoryUser] = []
        try:
            async for item in self.graph.pages(
                f"groups/{segment(group_id)}/transitiveMembers", params=params
            ):
                user = _user(item)
                if user is not None:
                    users.append(user)
        except GraphError as error:
            if error.status == 404:
                raise GroupNotFound(group_id) from error
            raise _refusal(error, f"group {group_id}") from error
        return users

    async def users_with(self, attribute: str) -> list[tuple[DirectoryUser, str | None]]:
        """Every user of the tenant with `attribute`, 999 a page."""
        params = {"$select": f"id,userPrincipalName,displayName,{attribute}", "$top": PAGE_SIZE}
        found: list[tuple[DirectoryUser, str | None]] = []
        try:
            async for item in self.graph.pages("users", params=params):
                user = _user(item, typed=False)
                value = item.get(attribute)
                if user is not None:
                    found.append((user, value if isinstance(value, str) else None))
        except GraphError as error:
            raise _refusal(error, "users") from error
        return found

    async def existing_users(self, user_ids: Sequence[str], upns: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = [user_id for user_id in user_ids if _GUID.match(user_id)]
        for start in range(0, len(ids), IDS_PER_CALL):
            listed = _quoted(ids[start : start + IDS_PER_CALL])
            await self._find(found, {"$filter": f"id in ({listed})", "$select": "id"})
        addresses = [upn for upn in upns if _EMAIL.match(upn)]
        for start in range(0, len(addresses), IDS_PER_CALL):
            listed = _quoted(addresses[start : start + IDS_PER_CALL])
            await self._find(
                found,
                {
                    "$filter": f"userPrincipalName in ({listed}) or mail in ({listed})",
                    "$select": "id,userPrincipalName,mail",
                },
            )
        return found

    async def _find(self, found: set[str], params: dict[str, str]) -> None:
        """Add the ids, UPNs and mail addresses of the users the filter finds to `found`."""
        try:
            async for item in self.graph.pages("users", params=params):
                for key in ("id", "userPrincipalName", "mail"):
                    value = item.get(key)
                    if isinstance(value, str) and value:
                        found.add(value.lower())
        except GraphError as error:
            raise _refusal(error, "users") from error

    async def close(self) -> None:
        await self.graph.close()


def entra_directory(settings: GraphSettings) -> EntraDirectory:
    """The directory on a Graph client with the app's MSAL tokens, as `settings` say."""
    client = GraphClient(settings.base_url, msal_token(settings), ca_bundle=settings.ca_bundle)
    return EntraDirectory(client)
