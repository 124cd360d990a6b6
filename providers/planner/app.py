"""A trip planner that asks: the user for details, the client's model for a plan.

Shows a tool talking back to the client while it runs: ``ctx.elicit``
puts a form in front of the user, ``ctx.sample`` asks the client's
language model, ``ctx.list_roots`` reads the folders the client shares.
Each needs the client to declare the matching capability; without it the
tool answers with an error that says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from annotated_types import Ge, Le

from mcp_component import ClientRequestError, Context, Provider, ToolError

provider = Provider(
    "planner",
    version="0.1.0",
    title="Trip planner",
    instructions="Plans trips with the user: asks for details, then drafts a plan with the client's model.",
)


@dataclass
class TripDetails:
    """What the planner asks the traveller."""

    days: Annotated[int, Ge(1), Le(30)]
    budget: Literal["low", "medium", "high"] = "medium"
    travellers: Annotated[int, Ge(1), Le(20)] = 1
    interests: str = ""


@dataclass
class Plan:
    destination: str
    days: int
    budget: str
    plan: str
    model: str


@provider.tool
async def plan_trip(destination: str, ctx: Context) -> Plan | str:
    """Ask the traveller for the trip's details, then have the client's model draft a day-by-day plan."""
    answer = await ctx.elicit(f"Planning a trip to {destination}. A few details?", TripDetails)
    if answer.data is None:
        return f"No plan: the traveller chose to {answer.action}."
    trip = answer.data
    await ctx.info(f"planning {trip.days} days in {destination} for {trip.travellers}")
    interests = f" They enjoy {trip.interests}." if trip.interests else ""
    reply = await ctx.sample(
        f"Draft a {trip.days}-day plan for {trip.travellers} traveller(s) visiting {destination} "
        f"on a {trip.budget} budget.{interests} One line per day.",
        system_prompt="You are a concise travel planner.",
        max_tokens=60 * trip.days,
        temperature=0.7,
    )
    if not reply.text:
        raise ToolError("the client's model answered without text")
    return Plan(destination, trip.days, trip.budget, reply.text, reply.model)


@provider.tool
async def packing_list(destination: str, days: Annotated[int, Ge(1), Le(30)], ctx: Context) -> list[str]:
    """Ask the client's model what to pack; one item per line."""
    reply = await ctx.sample(f"List what to pack for {days} days in {destination}, one item per line, no numbering.",
                             max_tokens=200)
    return [line.strip("-• ").strip() for line in reply.text.splitlines() if line.strip()]


@provider.tool
async def shared_folders(ctx: Context) -> list[str]:
    """The folders the client shares with this server (its roots), or why there are none."""
    try:
        roots = await ctx.list_roots()
    except ClientRequestError as exc:
        return [f"(none: {exc})"]
    return [root.uri if root.name is None else f"{root.name}: {root.uri}" for root in roots]
