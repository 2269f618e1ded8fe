# A native Wayland test window: GTK 3 through python3-gi. The first argument
# becomes the app id (the program name), the second the title. It prints
# "ready PID" once the window is mapped, then reads commands on stdin:
#   title TEXT   set the title
#   raise        unmap and map the window again (a new map takes the focus)
#   quit         exit
import sys
import threading

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402

app_id, title = sys.argv[1], sys.argv[2]
GLib.set_prgname(app_id)
win = Gtk.Window(title=title)
win.set_default_size(320, 200)
win.connect("destroy", Gtk.main_quit)


def mapped(*_):
    print("ready", __import__("os").getpid(), flush=True)
    win.disconnect(handler)


handler = win.connect("map-event", mapped)


def command(line):
    line = line.rstrip("\n")
    if line.startswith("title "):
        win.set_title(line[6:])
    elif line == "raise":
        win.hide()
        win.show_all()
        win.present()
    elif line == "quit":
        Gtk.main_quit()
    return False


def read():
    for line in sys.stdin:
        GLib.idle_add(command, line)
    GLib.idle_add(Gtk.main_quit)


threading.Thread(target=read, daemon=True).start()
win.show_all()
Gtk.main()
