"""``serve`` caps live kernels by default: the preheated pool plus 40 (issue 11, item 1).

The review's attack (bogus links at two a second) is stopped by the gate, but a valid link
reloaded in a loop still starts kernels; the cap is what bounds them. A facilitator who never
passes ``--max-kernels`` must get it too, so the command ``serve`` runs is read here, as
the CLI builds it, and handed to the Voila application class it starts, which must end up
with the cap (a misspelt option would leave traitlets' default, 0: no cap).
"""

from __future__ import annotations

import pytest

from cop_widgets.cli import main
from cop_widgets.jupyter import serve as serve_module
from cop_widgets.jupyter.serve import VISITOR_KERNELS, default_max_kernels, voila_command
from cop_widgets.jupyter.voila_app import CopVoila

OPTION = "--CopVoila.max_kernels="


def cap_in(command: list[str]) -> int:
    """The ``--CopVoila.max_kernels`` of a Voila command line (exactly one)."""
    values = [part[len(OPTION):] for part in command if part.startswith(OPTION)]
    assert len(values) == 1, command
    return int(values[0])


def cap_applied(command: list[str]) -> int:
    """What :class:`CopVoila` takes from ``command``'s options, as ``serve`` starts it."""
    assert command[1:3] == ["-m", "cop_widgets.jupyter.voila_app"]
    app = CopVoila()
    app.parse_command_line(command[3:])
    return app.max_kernels


def serve_command(monkeypatch, tmp_path, *options: str) -> list[str]:
    """The command ``cop-widgets serve OPTIONS`` runs (nothing is started)."""
    ran: list[list[str]] = []

    def call(command, **_kwargs):
        ran.append(command)
        return 0

    monkeypatch.setattr(serve_module.subprocess, "call", call)
    monkeypatch.setenv("COP_WIDGETS_FACILITATOR_KEY", "a-key-for-this-test")
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    assert main(["serve", "--db", f"sqlite:///{tmp_path / 'cop.db'}", "--port", "8899",
                 *options]) == 0
    assert len(ran) == 1
    return ran[0]


@pytest.mark.parametrize(("options", "cap"), [
    ((), VISITOR_KERNELS),
    (("--preheat", "3"), 3 + VISITOR_KERNELS),
    (("--preheat", "30", "--fill-delay", "120"), 30 + VISITOR_KERNELS),
])
def test_serve_without_max_kernels_caps_at_the_pool_plus_40(monkeypatch, tmp_path, capsys,
                                                            options, cap):
    assert VISITOR_KERNELS == 40
    command = serve_command(monkeypatch, tmp_path, *options)
    assert cap_in(command) == cap
    assert cap_applied(command) == cap


def test_an_explicit_max_kernels_wins_and_zero_means_no_cap(monkeypatch, tmp_path, capsys):
    assert cap_in(serve_command(monkeypatch, tmp_path, "--max-kernels", "7",
                                "--preheat", "3")) == 7
    command = serve_command(monkeypatch, tmp_path, "--max-kernels", "0")
    assert cap_in(command) == 0 and cap_applied(command) == 0


@pytest.mark.parametrize("preheat", [0, 1, 30])
def test_voila_command_defaults_to_the_pool_plus_40(preheat):
    assert default_max_kernels(preheat) == preheat + 40
    assert cap_in(voila_command(8866, "127.0.0.1", preheat=preheat)) == preheat + 40
    assert cap_in(voila_command(8866, "127.0.0.1", preheat=preheat, max_kernels=5)) == 5
