# A tiny GTK 3 app for the a11y tests: a "Save" button and a text entry
# holding text that must never be read. It prints where both are on the
# screen once the window is mapped.
import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk

win = Gtk.Window(title="secret-notes.txt - Notes")
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=8)
save = Gtk.Button(label="Save")
entry = Gtk.Entry()
entry.set_text("hunter2 private words")
box.pack_start(save, False, False, 0)
box.pack_start(entry, False, False, 0)
win.add(box)
win.set_default_size(320, 200)
win.connect("destroy", Gtk.main_quit)


def report():
    _, ox, oy = save.get_window().get_origin()
    for name, w in (("save", save), ("entry", entry)):
        a = w.get_allocation()
        print(name, ox + a.x, oy + a.y, a.width, a.height, flush=True)
    return False


win.connect("map-event", lambda *_: GLib.timeout_add(100, report))
win.show_all()
Gtk.main()
