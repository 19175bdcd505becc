"""``margin categories``: the categories documents are labelled with, and their sets.

    margin categories                          list them, by set, with how many labels each
    margin categories add NAME [--set S] [--color #rrggbb]
    margin categories move NAME (--set S | --no-set)
    margin categories exclusive SET [--off]    at most one label of SET per document and annotator
    margin categories delete NAME              and every label of it

Names come from users and files: anything not printable is shown as an escape.
"""

from __future__ import annotations

import argparse


def add_subcommand(subparsers: argparse._SubParsersAction, guarded, open_store) -> None:
    """Register ``categories`` on the notes parser (``tui.notes.commands``)."""
    parser = subparsers.add_parser(
        "categories",
        help="list, add, group or delete document label categories; make a set exclusive",
        description="Categories label whole documents (c in the reader). A category may belong to a set; "
        "an exclusive set allows one of its labels per document and annotator.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="a new category")
    add.add_argument("name")
    add.add_argument("--set", dest="set_name", metavar="SET", help="put it in this set (created if new)")
    add.add_argument("--color", metavar="#RRGGBB", help="its colour (default: the next free one)")
    move = actions.add_parser("move", help="put a category in a set, or in none")
    move.add_argument("name")
    where = move.add_mutually_exclusive_group(required=True)
    where.add_argument("--set", dest="set_name", metavar="SET")
    where.add_argument("--no-set", action="store_true")
    exclusive = actions.add_parser("exclusive", help="allow at most one label of a set per document and annotator")
    exclusive.add_argument("set_name", metavar="SET")
    exclusive.add_argument("--off", action="store_true", help="allow several again")
    delete = actions.add_parser("delete", help="delete a category and every label of it")
    delete.add_argument("name")

    def run(args: argparse.Namespace) -> int:
        with open_store(args) as store:
            return _run(store, args)

    parser.set_defaults(func=guarded(run))


def _run(store, args: argparse.Namespace) -> int:
    action = args.action
    if action == "add":
        category = store.create_category(args.name, args.color, args.set_name)
        print(f"added {_shown(category.name)}" + (f" to {_shown(category.set)}" if category.set else ""))
    elif action == "move":
        category = store.set_category_set(args.name, None if args.no_set else args.set_name)
        print(f"{_shown(category.name)} is now " + (f"in {_shown(category.set)}" if category.set else "in no set"))
    elif action == "exclusive":
        found = store.declare_category_set(args.set_name, exclusive=not args.off)
        print(f"{_shown(found.name)}: " + ("one label per document" if found.exclusive else "several labels allowed"))
    elif action == "delete":
        removed = store.delete_category(args.name)
        print(f"deleted {_shown(args.name)} and {removed} label{'s' if removed != 1 else ''}")
    else:
        _list(store)
    return 0


def _list(store) -> None:
    categories = store.categories()
    if not categories:
        print("no categories")
        return
    exclusive = {s.name for s in store.category_sets() if s.exclusive}
    current: object = ...
    for category in categories:
        if category.set != current:
            current = category.set
            if category.set is None:
                print("(no set)")
            else:
                print(f"{_shown(category.set)}{' (exclusive)' if category.set in exclusive else ''}")
        print(f"  {_shown(category.name)}  {category.color}  {store.category_usage(category.name)}")


def _shown(text: str) -> str:
    """Printable as is; anything else as a Python-style escape."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
