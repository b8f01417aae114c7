"""``tactful settings list|get|set|reset|policy``: preferences from the command line.

The same declared table and the same precedence as the app's Settings dialog
(``kb.settings``): a setting the organisation's policy locks cannot be changed here either.
"""

from __future__ import annotations

import argparse

HELP = "Show or change preferences, and show the organisation's policy in force."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every setting, its value and where the value comes from")
    get = sub.add_parser("get", help="one setting's value")
    get.add_argument("name", metavar="NAME", help="a setting name, such as appearance/theme")
    put = sub.add_parser("set", help="change a setting (refused if the policy locks it)")
    put.add_argument("name", metavar="NAME", help="a setting name, such as appearance/theme")
    put.add_argument("value", metavar="VALUE", help="the new value (true/false, a number or text)")
    reset = sub.add_parser("reset", help="go back to the default (the policy's, or the built-in one)")
    reset.add_argument("name", metavar="NAME", help="a setting name")
    policy = sub.add_parser("policy", help="the policy files read, what they set, and their problems")
    for command in (listing, get, put, reset, policy):
        command.add_argument("--json", action="store_true", help="print JSON")
        command.add_argument("--home", metavar="PATH", default=argparse.SUPPRESS, help="data folder to use")


def run(args: argparse.Namespace) -> int:
    from kb import policy as policy_file
    from kb.commands._common import print_json
    from kb.errors import InvalidInput, PolicyLocked
    from kb.paths import DataPaths
    from kb.settings import BY_NAME, SETTINGS, IniFile, parse_text, resolve

    policy = policy_file.load()
    if args.settings_command == "policy":
        if args.json:
            print_json(policy.to_json())
        else:
            _print_policy(policy)
        return 0
    ini = IniFile(DataPaths.for_home(getattr(args, "home", None)).settings_file)
    if args.settings_command == "list":
        rows = [resolve(s, ini.stored(s.name), policy) for s in SETTINGS]
        if args.json:
            print_json([_row(r) for r in rows])
        else:
            width = max(len(s.name) for s in SETTINGS)
            value_width = max(len(_show(r.value)) for r in rows)
            for row in rows:
                print(f"{row.name:<{width}}  {_show(row.value):<{value_width}}  {_source(row)}")
        return 0
    setting = BY_NAME.get(args.name)
    if setting is None:
        raise InvalidInput(f"There is no setting {args.name!r}; 'tactful settings list' shows them all.")
    current = resolve(setting, ini.stored(setting.name), policy)
    if args.settings_command in ("set", "reset") and current.locked:
        raise PolicyLocked(
            f"{setting.name} is locked by your organisation's policy: {current.reason.rstrip('.')}. "
            "Ask your IT team to change it."
        )
    if args.settings_command == "set":
        ini.write(setting.name, parse_text(setting, args.value))
    elif args.settings_command == "reset":
        ini.remove(setting.name)
    row = resolve(setting, ini.stored(setting.name), policy)
    if args.json:
        print_json(_row(row))
    else:
        print(_show(row.value) if args.settings_command == "get" else f"{row.name} = {_show(row.value)} ({_source(row)})")
    return 0


def _row(row) -> dict:  # noqa: ANN001 - kb.settings.Resolved
    return {"name": row.name, "value": row.value, "source": row.source, "locked": row.locked, "reason": row.reason}


def _show(value) -> str:  # noqa: ANN001
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value != "" else '""'


def _source(row) -> str:  # noqa: ANN001
    return {
        "policy-lock": f"locked by policy: {row.reason}",
        "user": "your setting",
        "policy-default": "policy default",
        "default": "default",
    }[row.source]


def _print_policy(policy) -> None:  # noqa: ANN001 - kb.policy.Policy
    if not policy.sources and not policy.problems:
        print("No policy file is in force.")
        return
    for path in policy.sources:
        print(f"Read {path}")
    for name, entry in sorted(policy.settings.items()):
        print(f"  {name} = {_show(entry.value)} ({'locked' if entry.locked else 'default'})")
    if policy.data_folder is not None:
        kind = "locked" if policy.data_folder.locked else "default"
        print(f"  data folder = {policy.data_folder.value} ({kind})")
    if not policy.allow_manual_pack_install:
        print("  installing a pack by hand: off")
    for problem in policy.problems:
        print(f"Problem: {problem}")
