#!/bin/sh
# Install Tactful for the current user only: no root, no network, nothing outside $HOME.
#
#   ./install-user.sh              copy this folder to ~/.local/opt/tactful, add a menu
#                                  entry and a `tactful` command in ~/.local/bin
#   ./install-user.sh --uninstall  remove all of that again (your data folder is kept)
#
# Your knowledge base is not part of the install: it lives in ~/.local/share/Tactful
# (or $TACTFUL_HOME). Installing over an older version keeps it; uninstalling keeps it.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
data_home=${XDG_DATA_HOME:-"$HOME/.local/share"}
opt="$HOME/.local/opt/tactful"
bin_dir="$HOME/.local/bin"
link="$bin_dir/tactful"
desktop_file="$data_home/applications/tactful.desktop"
icon_svg="$data_home/icons/hicolor/scalable/apps/tactful.svg"
icon_png="$data_home/icons/hicolor/256x256/apps/tactful.png"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$data_home/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true
}

uninstall() {
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$opt/tactful" ]; then
        rm -f "$link"
    fi
    rm -f "$desktop_file" "$icon_svg" "$icon_png"
    rm -rf "$opt"
    refresh_menus
    echo "Tactful is uninstalled. Your data folder was kept (delete it yourself if you want):"
    echo "  ${TACTFUL_HOME:-$data_home/Tactful}"
}

install() {
    if [ ! -x "$here/tactful" ] || [ ! -d "$here/_internal" ]; then
        echo "install-user.sh: run me from the unpacked Tactful folder (next to 'tactful')." >&2
        exit 2
    fi
    mkdir -p "$HOME/.local/opt" "$bin_dir" "$data_home/applications" \
        "$(dirname "$icon_svg")" "$(dirname "$icon_png")"
    if [ "$here" != "$opt" ]; then
        # Copy next to the old version, then swap, so a failed copy leaves the old one working.
        # A portable data folder (tactful-data) is not copied: the installed app uses
        # your per-user data folder.
        rm -rf "$opt.new"
        mkdir "$opt.new"
        (cd "$here" && tar cf - --exclude=./tactful-data .) | (cd "$opt.new" && tar xf -)
        rm -rf "$opt.old"
        [ -e "$opt" ] && mv "$opt" "$opt.old"
        mv "$opt.new" "$opt"
        rm -rf "$opt.old"
    fi
    ln -sfn "$opt/tactful" "$link"
    [ -f "$opt/tactful.svg" ] && cp "$opt/tactful.svg" "$icon_svg"
    [ -f "$opt/tactful.png" ] && cp "$opt/tactful.png" "$icon_png"
    sed -e "s|^Exec=.*|Exec=\"$opt/tactful\"|" "$opt/tactful.desktop" > "$desktop_file"
    chmod 644 "$desktop_file"
    refresh_menus
    echo "Tactful $("$opt/tactful" --version | cut -d' ' -f2) is installed in $opt"
    echo "  menu entry: $desktop_file"
    echo "  command:    $link"
    case ":$PATH:" in
        *":$bin_dir:"*) ;;
        *) echo "  ($bin_dir is not on your PATH: open Tactful from the menu, or add it)" ;;
    esac
}

case "${1:-}" in
    "") install ;;
    --uninstall) uninstall ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) echo "usage: $0 [--uninstall]" >&2; exit 2 ;;
esac
