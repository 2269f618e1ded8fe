/* Cuecard focus: tells Cuecard which window is focused (GNOME Shell 43, 44).
 *
 * The extension owns the bus name io.github.cuecard.Focus on the session bus.
 * A Cuecard process calls Watch, which returns the focused window, and then
 * receives a FocusChanged signal, sent to it alone (not broadcast), each time
 * the focused window or its title changes. Watchers that leave the bus are
 * forgotten; Unwatch stops the signals at once.
 *
 * A window is (wmClass, instance, title, pid, fullscreen); on Wayland
 * wmClass is the app id. No window: empty strings and pid 0. */
'use strict';

const { Gio, GLib } = imports.gi;

const BUS_NAME = 'io.github.cuecard.Focus';
const OBJECT_PATH = '/io/github/cuecard/Focus';
const IFACE_NAME = 'io.github.cuecard.Focus';
const IFACE = `<node>
  <interface name="${IFACE_NAME}">
    <method name="Watch">
      <arg type="s" direction="out" name="wmClass"/>
      <arg type="s" direction="out" name="instance"/>
      <arg type="s" direction="out" name="title"/>
      <arg type="u" direction="out" name="pid"/>
      <arg type="b" direction="out" name="fullscreen"/>
    </method>
    <method name="Unwatch"/>
    <signal name="FocusChanged">
      <arg type="s" name="wmClass"/>
      <arg type="s" name="instance"/>
      <arg type="s" name="title"/>
      <arg type="u" name="pid"/>
      <arg type="b" name="fullscreen"/>
    </signal>
  </interface>
</node>`;

class CuecardFocus {
    enable() {
        this._watchers = new Map(); // unique bus name -> name watch id
        this._window = null;
        this._windowSignals = [];
        this._dbus = Gio.DBusExportedObject.wrapJSObject(IFACE, this);
        this._dbus.export(Gio.DBus.session, OBJECT_PATH);
        this._owner = Gio.bus_own_name_on_connection(Gio.DBus.session, BUS_NAME,
            Gio.BusNameOwnerFlags.NONE, null, null);
        this._focusSignal = global.display.connect('notify::focus-window', () => this._focusChanged());
        this._focusChanged();
    }

    disable() {
        global.display.disconnect(this._focusSignal);
        this._follow(null);
        for (const id of this._watchers.values())
            Gio.bus_unwatch_name(id);
        this._watchers.clear();
        Gio.bus_unown_name(this._owner);
        this._dbus.unexport();
        this._dbus = null;
    }

    _follow(w) {
        if (this._window) {
            for (const id of this._windowSignals)
                this._window.disconnect(id);
        }
        this._windowSignals = [];
        this._window = w;
        if (w) {
            for (const prop of ['title', 'wm-class', 'fullscreen'])
                this._windowSignals.push(w.connect(`notify::${prop}`, () => this._emit()));
        }
    }

    _focusChanged() {
        const w = global.display.focus_window;
        if (w === this._window)
            return;
        this._follow(w);
        this._emit();
    }

    _state() {
        const w = this._window;
        if (!w)
            return new GLib.Variant('(sssub)', ['', '', '', 0, false]);
        try {
            const pid = w.get_pid();
            return new GLib.Variant('(sssub)', [w.get_wm_class() || '', w.get_wm_class_instance() || '',
                w.get_title() || '', pid > 0 ? pid : 0, w.is_fullscreen()]);
        } catch (e) {
            // The window is being destroyed: the next focus change follows.
            return new GLib.Variant('(sssub)', ['', '', '', 0, false]);
        }
    }

    _emit() {
        if (this._watchers.size === 0)
            return;
        const state = this._state();
        for (const name of this._watchers.keys()) {
            try {
                Gio.DBus.session.emit_signal(name, OBJECT_PATH, IFACE_NAME, 'FocusChanged', state);
            } catch (e) {
                logError(e, 'cuecard-focus: FocusChanged');
            }
        }
    }

    WatchAsync(params, invocation) {
        const name = invocation.get_sender();
        if (!this._watchers.has(name)) {
            this._watchers.set(name, Gio.bus_watch_name_on_connection(Gio.DBus.session, name,
                Gio.BusNameWatcherFlags.NONE, null, () => this._forget(name)));
        }
        invocation.return_value(this._state());
    }

    UnwatchAsync(params, invocation) {
        this._forget(invocation.get_sender());
        invocation.return_value(null);
    }

    _forget(name) {
        const id = this._watchers.get(name);
        if (id !== undefined) {
            Gio.bus_unwatch_name(id);
            this._watchers.delete(name);
        }
    }
}

function init() {
    return new CuecardFocus();
}
