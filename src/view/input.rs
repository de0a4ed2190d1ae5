//! The reader's pointer, wheel and keys as the page forwards them: one typed [`Input`] per DOM
//! event, read by [`App::input`]. It recognises what the events make (a click within the
//! press slop, a drag, a long press, a two-finger pinch) and answers with what the page shows
//! ([`Outcome`]: the tooltip, the cursor over an item, when to wake the viewer for a long
//! press). What each gesture changes is [`crate::view::interact`]'s; the page keeps the DOM's
//! part (coordinates, pointer capture, the browser's defaults, the tooltip's box).

use serde::Serialize;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::view::app::{App, Target, Tooltip};

/// A touch held still this long (ms) is a long press: the tooltip, not a selection.
pub const LONG_PRESS_MS: f64 = 500.0;
/// A touch moved no further than this (CSS px) is held still. Wider than the click slop of
/// [`crate::view::interact`] (a mouse's press that moves past it is a drag): a finger is less
/// steady than a mouse.
pub const LONG_PRESS_SLOP_PX: f64 = 6.0;

/// One event of the reader's, on one canvas, in CSS px from the canvas's top-left corner.
/// The page writes it as a flat object, `{ kind: "pointerDown", on: "network", pointer: 1,
/// device: "touch", x, y, timeMs }`, read by [`Input::from_json`].
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A pointer pressed on a canvas (a mouse's main button, a pen, a finger); `time_ms` on
    /// the page's clock (`performance.now()`, the frame clock's), for a long press.
    PointerDown {
        on: Target,
        pointer: i64,
        device: Device,
        x: f64,
        y: f64,
        time_ms: f64,
    },
    /// A pointer moved over a canvas, pressed or not.
    PointerMove {
        on: Target,
        pointer: i64,
        device: Device,
        x: f64,
        y: f64,
    },
    /// A pointer let go; `additive` (shift, ctrl or cmd held) adds a click's actor to the
    /// selection.
    PointerUp {
        on: Target,
        pointer: i64,
        x: f64,
        y: f64,
        additive: bool,
    },
    /// The browser took a pointer away (a scroll began, the window lost it).
    PointerCancel { on: Target, pointer: i64 },
    /// The pointer left a canvas.
    PointerLeave { on: Target },
    /// The long press's tooltip went (after a while, or at the next touch anywhere): the ring
    /// on what it named goes with it.
    Dismiss,
    /// Time passed without an event on `on` (a press's `wake_in_ms` is up): a press held
    /// still may now be a long press.
    Tick { on: Target, time_ms: f64 },
    /// A wheel's turn: zooms around the pointer.
    Wheel {
        on: Target,
        x: f64,
        y: f64,
        delta_y: f64,
    },
    /// A key on a focused canvas (`KeyboardEvent.key`).
    Key { on: Target, key: String },
    /// A canvas gained the keyboard's focus, or (`None`) the canvas that had it lost it.
    KeyboardFocus { on: Option<Target> },
    /// Zooms by `factor` (> 1 zooms in) around `(x, y)`: the −/+ buttons and keys, the handle.
    Zoom {
        on: Target,
        factor: f64,
        x: f64,
        y: f64,
    },
    /// Moves a view by CSS px (the handle's pan).
    Pan { on: Target, dx: f64, dy: f64 },
    /// Back to the whole picture.
    Fit { on: Target },
}

/// What pressed: only a touch can long-press, and only a mouse or a pen hovers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Mouse,
    Pen,
    Touch,
    /// A `pointerType` the page does not know (browsers may add kinds): it neither hovers
    /// nor long-presses.
    Other,
}

/// A field's value as the page gave it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Number(f64),
    Text(String),
    Bool(bool),
    /// Anything else (an object, a list): never a field's value.
    Other,
}

/// The page's object as JSON text, read field by field by hand-written visitors: serde's
/// derive for [`Input`] itself was 30 KB of the page's first wasm download (7 KB gzip), and
/// one for a flat record of the fields 16 KB; reading the object's fields one by one across
/// the wasm boundary cost a microsecond and a half a field.
struct Object(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Object, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry()? {
                    fields.push(field);
                }
                Ok(Object(fields))
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        struct Any;
        impl<'de> Visitor<'de> for Any {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Number(n as f64))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Number(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
                Ok(Value::Number(n))
            }
            fn visit_str<E>(self, t: &str) -> Result<Value, E> {
                Ok(Value::Text(t.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Value::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Value::Other)
            }
        }
        deserializer.deserialize_any(Any)
    }
}

/// Why the page's object is no input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Missing(&'static str),
    /// A field of the wrong type (or a canvas null where one is needed).
    Wrong(&'static str),
    /// A field, kind or canvas with a name the viewer does not know.
    Unknown(&'static str, String),
    /// A field the kind does not use.
    Unused(String, &'static str),
    /// Not a JSON object.
    Json(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Missing(name) => write!(f, "missing field `{name}`"),
            InputError::Wrong(name) => write!(f, "field `{name}` is of the wrong type"),
            InputError::Unknown(what, name) => write!(f, "unknown {what} \"{name}\""),
            InputError::Unused(kind, name) => write!(f, "a \"{kind}\" has no field `{name}`"),
            InputError::Json(message) => f.write_str(message),
        }
    }
}

/// The fields an input may have, by their names in the page's object; each is read by the
/// index of its name.
const NAMES: [&str; 13] = [
    "kind", "on", "pointer", "device", "x", "y", "timeMs", "additive", "deltaY", "key", "factor",
    "dx", "dy",
];
const KIND: usize = 0;
const ON: usize = 1;
const POINTER: usize = 2;
const DEVICE: usize = 3;
const X: usize = 4;
const Y: usize = 5;
const TIME_MS: usize = 6;
const ADDITIVE: usize = 7;
const DELTA_Y: usize = 8;
const KEY: usize = 9;
const FACTOR: usize = 10;
const DX: usize = 11;
const DY: usize = 12;

/// An input's fields as given, each taken out as its kind reads it.
#[derive(Default)]
struct Fields([Option<Value>; NAMES.len()]);

impl Fields {
    fn take(&mut self, k: usize) -> Result<Value, InputError> {
        self.0[k].take().ok_or(InputError::Missing(NAMES[k]))
    }

    fn number(&mut self, k: usize) -> Result<f64, InputError> {
        match self.take(k)? {
            Value::Number(n) => Ok(n),
            _ => Err(InputError::Wrong(NAMES[k])),
        }
    }

    fn text(&mut self, k: usize) -> Result<String, InputError> {
        match self.take(k)? {
            Value::Text(t) => Ok(t),
            _ => Err(InputError::Wrong(NAMES[k])),
        }
    }

    /// The canvas, or `None` given as null.
    fn canvas(&mut self) -> Result<Option<Target>, InputError> {
        match self.take(ON)? {
            Value::Null => Ok(None),
            Value::Text(t) => match Target::parse(&t) {
                Some(target) => Ok(Some(target)),
                None => Err(InputError::Unknown("canvas", t)),
            },
            _ => Err(InputError::Wrong("on")),
        }
    }

    fn on(&mut self) -> Result<Target, InputError> {
        self.canvas()?.ok_or(InputError::Wrong("on"))
    }

    fn pointer(&mut self) -> Result<i64, InputError> {
        Ok(self.number(POINTER)? as i64)
    }

    fn device(&mut self) -> Result<Device, InputError> {
        Ok(match self.text(DEVICE)?.as_str() {
            "mouse" => Device::Mouse,
            "pen" => Device::Pen,
            "touch" => Device::Touch,
            _ => Device::Other,
        })
    }
}

impl Input {
    /// Reads an input from the page's object as JSON text (`JSON.stringify`).
    pub fn from_json(text: &str) -> Result<Input, InputError> {
        let object: Object =
            serde_json::from_str(text).map_err(|e| InputError::Json(e.to_string()))?;
        Input::from_fields(object.0)
    }

    /// Reads an input from the fields of the object the page wrote.
    /// An unknown kind, canvas or field, a missing one, one of the wrong type, or one the
    /// kind does not use is an error: every field given is used.
    fn from_fields(fields: impl IntoIterator<Item = (String, Value)>) -> Result<Input, InputError> {
        let mut f = Fields::default();
        for (name, value) in fields {
            match NAMES.iter().position(|&n| n == name) {
                Some(k) => f.0[k] = Some(value),
                None => return Err(InputError::Unknown("field", name)),
            }
        }
        let kind = f.text(KIND)?;
        let input = match kind.as_str() {
            "pointerDown" => Input::PointerDown {
                on: f.on()?,
                pointer: f.pointer()?,
                device: f.device()?,
                x: f.number(X)?,
                y: f.number(Y)?,
                time_ms: f.number(TIME_MS)?,
            },
            "pointerMove" => Input::PointerMove {
                on: f.on()?,
                pointer: f.pointer()?,
                device: f.device()?,
                x: f.number(X)?,
                y: f.number(Y)?,
            },
            "pointerUp" => Input::PointerUp {
                on: f.on()?,
                pointer: f.pointer()?,
                x: f.number(X)?,
                y: f.number(Y)?,
                additive: match f.take(ADDITIVE)? {
                    Value::Bool(b) => b,
                    _ => return Err(InputError::Wrong("additive")),
                },
            },
            "pointerCancel" => Input::PointerCancel {
                on: f.on()?,
                pointer: f.pointer()?,
            },
            "pointerLeave" => Input::PointerLeave { on: f.on()? },
            "dismiss" => Input::Dismiss,
            "tick" => Input::Tick {
                on: f.on()?,
                time_ms: f.number(TIME_MS)?,
            },
            "wheel" => Input::Wheel {
                on: f.on()?,
                x: f.number(X)?,
                y: f.number(Y)?,
                delta_y: f.number(DELTA_Y)?,
            },
            "key" => Input::Key {
                on: f.on()?,
                key: f.text(KEY)?,
            },
            // Null: the canvas that had the focus lost it.
            "keyboardFocus" => Input::KeyboardFocus { on: f.canvas()? },
            "zoom" => Input::Zoom {
                on: f.on()?,
                factor: f.number(FACTOR)?,
                x: f.number(X)?,
                y: f.number(Y)?,
            },
            "pan" => Input::Pan {
                on: f.on()?,
                dx: f.number(DX)?,
                dy: f.number(DY)?,
            },
            "fit" => Input::Fit { on: f.on()? },
            _ => return Err(InputError::Unknown("input", kind)),
        };
        // Every field given is used: one the kind does not take is a mistake of the page's.
        match f.0.iter().position(Option::is_some) {
            Some(k) => Err(InputError::Unused(kind, NAMES[k])),
            None => Ok(input),
        }
    }
}

/// What the page does with the tooltip.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tip {
    #[default]
    Keep,
    Hide,
    Show(Tooltip),
}

/// What an input asks of the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub tooltip: Tip,
    /// Whether the pointer is over something to click (the page's cursor); `None` leaves it.
    pub over_item: Option<bool>,
    /// Whether a pointer is still down on the canvas: a press, a drag or a pinch goes on.
    pub pressing: bool,
    /// A long press is held on the canvas: a tooltip shown now is its own, and the browser's
    /// menu is not wanted.
    pub holding: bool,
    /// Send a [`Input::Tick`] for the canvas after this many ms: a press may become long.
    pub wake_in_ms: Option<f64>,
    /// A key was used: the page prevents the browser's default.
    pub used: bool,
    /// The canvas the reader acts on, painted first (`view::repaint`); not for the page.
    #[serde(skip)]
    pub acting_on: Option<Target>,
}

/// The pointers down on one canvas, and what they make.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Pointers {
    /// In the order they came down: a pinch is the first two.
    down: Vec<(i64, (f64, f64))>,
    /// The one pointer whose press the viewer follows (a click, a drag, a long press).
    press: Option<Press>,
    /// Two pointers' span at the last step of a pinch.
    pinch: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Press {
    pointer: i64,
    at: (f64, f64),
    /// When a touch held still becomes a long press (page clock, ms); `None` for a mouse or
    /// a pen.
    long_at_ms: Option<f64>,
    /// Moved past the long press's slop.
    moved: bool,
    /// Became a long press: the drag was abandoned and the tooltip shown.
    long: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    distance: f64,
    mid: (f64, f64),
}

impl Pointers {
    fn position(&self, pointer: i64) -> Option<usize> {
        self.down.iter().position(|&(id, _)| id == pointer)
    }

    /// Where `pointer` is now; false if it is not down here.
    fn moved(&mut self, pointer: i64, at: (f64, f64)) -> bool {
        match self.position(pointer) {
            Some(k) => {
                self.down[k].1 = at;
                true
            }
            None => false,
        }
    }

    fn span(&self) -> Option<Span> {
        let [(_, a), (_, b), ..] = self.down[..] else {
            return None;
        };
        Some(Span {
            distance: (b.0 - a.0).hypot(b.1 - a.1),
            mid: ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0),
        })
    }

    fn holding(&self) -> bool {
        self.press.is_some_and(|p| p.long)
    }
}

fn slot(target: Target) -> usize {
    match target {
        Target::Network => 0,
        Target::Timeline => 1,
    }
}

/// A hover's tooltip, or none to show.
fn tip(tooltip: Option<Tooltip>) -> Tip {
    tooltip
        .filter(|t| !t.text.is_empty())
        .map_or(Tip::Hide, Tip::Show)
}

impl App {
    /// Takes one of the reader's inputs: what it changes, and what the page is to show.
    pub fn input(&mut self, input: Input) -> Outcome {
        // What acts on the pictures acts on them as a glide into a step would leave them.
        if !matches!(
            input,
            Input::PointerMove { .. }
                | Input::PointerLeave { .. }
                | Input::Tick { .. }
                | Input::KeyboardFocus { .. }
                | Input::Dismiss
        ) {
            self.finish_motion();
        }
        match input {
            Input::PointerDown {
                on,
                pointer,
                device,
                x,
                y,
                time_ms,
            } => self.on_pointers(on, |app, p| {
                app.press(on, p, pointer, device == Device::Touch, (x, y), time_ms)
            }),
            Input::PointerMove {
                on,
                pointer,
                device,
                x,
                y,
            } => self.on_pointers(on, |app, p| {
                app.pointer_moved(on, p, pointer, device, (x, y))
            }),
            Input::PointerUp {
                on,
                pointer,
                x,
                y,
                additive,
            } => self.on_pointers(on, |app, p| {
                app.release(on, p, pointer, Some((x, y, additive)))
            }),
            Input::PointerCancel { on, pointer } => {
                self.on_pointers(on, |app, p| app.release(on, p, pointer, None))
            }
            Input::PointerLeave { on } => self.on_pointers(on, |app, p| {
                // A pointer captured by a press leaves only when it lets go.
                if !p.down.is_empty() {
                    return Outcome::default();
                }
                app.pointer_leave();
                Outcome {
                    tooltip: Tip::Hide,
                    over_item: Some(false),
                    ..Outcome::default()
                }
            }),
            Input::Dismiss => {
                self.pointer_leave();
                Outcome {
                    tooltip: Tip::Hide,
                    ..Outcome::default()
                }
            }
            Input::Tick { on, time_ms } => self.on_pointers(on, |app, p| app.hold(on, p, time_ms)),
            Input::Wheel { on, x, y, delta_y } => {
                self.on_view(on, |app| app.wheel(on, x, y, delta_y))
            }
            Input::Key { on, key } => {
                let used = self.key(on, &key, false);
                Outcome {
                    used,
                    acting_on: used.then_some(on),
                    ..self.pointers_on(on)
                }
            }
            Input::KeyboardFocus { on } => {
                self.set_keyboard_focus(on);
                Outcome::default()
            }
            Input::Zoom { on, factor, x, y } => self.on_view(on, |app| app.zoom(on, factor, x, y)),
            Input::Pan { on, dx, dy } => self.on_view(on, |app| app.pan(on, dx, dy)),
            Input::Fit { on } => self.on_view(on, |app| app.fit(on)),
        }
    }

    /// Runs `f` with the pointers down on `on`, and says what they still make.
    fn on_pointers(
        &mut self,
        on: Target,
        f: impl FnOnce(&mut App, &mut Pointers) -> Outcome,
    ) -> Outcome {
        let mut pointers = std::mem::take(&mut self.reader.pointers[slot(on)]);
        let mut outcome = f(self, &mut pointers);
        outcome.pressing = !pointers.down.is_empty();
        outcome.holding = pointers.holding();
        self.reader.pointers[slot(on)] = pointers;
        outcome
    }

    /// A change of the view on `on` (wheel, zoom, pan, fit), which is painted first.
    fn on_view(&mut self, on: Target, f: impl FnOnce(&mut App)) -> Outcome {
        f(self);
        Outcome {
            acting_on: Some(on),
            ..self.pointers_on(on)
        }
    }

    /// What the pointers down on `on` make, for an input that is not theirs.
    fn pointers_on(&self, on: Target) -> Outcome {
        let pointers = &self.reader.pointers[slot(on)];
        Outcome {
            pressing: !pointers.down.is_empty(),
            holding: pointers.holding(),
            ..Outcome::default()
        }
    }

    fn press(
        &mut self,
        on: Target,
        p: &mut Pointers,
        pointer: i64,
        touch: bool,
        at: (f64, f64),
        time_ms: f64,
    ) -> Outcome {
        if !p.moved(pointer, at) {
            p.down.push((pointer, at));
        }
        match p.down.len() {
            1 => {
                self.pointer_down(on, at.0, at.1);
                p.press = Some(Press {
                    pointer,
                    at,
                    long_at_ms: touch.then_some(time_ms + LONG_PRESS_MS),
                    moved: false,
                    long: false,
                });
                Outcome {
                    tooltip: Tip::Hide,
                    wake_in_ms: touch.then_some(LONG_PRESS_MS),
                    acting_on: Some(on),
                    ..Outcome::default()
                }
            }
            2 => {
                // A second finger: the one-finger drag is abandoned for a pinch (a long
                // press has abandoned it already).
                if p.press.take().is_some_and(|press| !press.long) {
                    self.pointer_cancel();
                }
                p.pinch = p.span();
                Outcome {
                    acting_on: Some(on),
                    ..Outcome::default()
                }
            }
            _ => Outcome::default(),
        }
    }

    fn pointer_moved(
        &mut self,
        on: Target,
        p: &mut Pointers,
        pointer: i64,
        device: Device,
        at: (f64, f64),
    ) -> Outcome {
        let down = p.moved(pointer, at);
        if let Some(last) = p.pinch {
            let Some(now) = p.span().filter(|_| down) else {
                return Outcome::default();
            };
            let factor = if last.distance > 0.0 {
                now.distance / last.distance
            } else {
                1.0
            };
            let (dx, dy) = (now.mid.0 - last.mid.0, now.mid.1 - last.mid.1);
            // A step of the viewer's gesture, which a pause ends (`App::settle_gesture`).
            self.pinch(on, factor, now.mid.0, now.mid.1, dx, dy);
            p.pinch = Some(now);
            return Outcome {
                acting_on: Some(on),
                ..Outcome::default()
            };
        }
        if let Some(press) = p.press.as_mut().filter(|press| press.pointer == pointer) {
            if press.long {
                return Outcome::default();
            }
            let far = (at.0 - press.at.0).hypot(at.1 - press.at.1) > LONG_PRESS_SLOP_PX;
            press.moved |= far;
            // A drag; no tooltip meanwhile.
            self.pointer_move(on, at.0, at.1);
            return Outcome {
                tooltip: Tip::Hide,
                acting_on: Some(on),
                ..Outcome::default()
            };
        }
        // Another finger, or one left of a pinch: nothing to hover with.
        if !p.down.is_empty() || !matches!(device, Device::Mouse | Device::Pen) {
            return Outcome::default();
        }
        let tooltip = self.pointer_move(on, at.0, at.1);
        Outcome {
            over_item: Some(tooltip.is_some()),
            tooltip: tip(tooltip),
            ..Outcome::default()
        }
    }

    /// A pointer let go (`up`: where, and whether additive) or was taken away.
    fn release(
        &mut self,
        on: Target,
        p: &mut Pointers,
        pointer: i64,
        up: Option<(f64, f64, bool)>,
    ) -> Outcome {
        let Some(k) = p.position(pointer) else {
            return Outcome::default();
        };
        p.down.remove(k);
        if let Some(press) = p.press.filter(|press| press.pointer == pointer) {
            p.press = None;
            // A long press has shown its tooltip and changed nothing; its end is no click.
            if !press.long {
                match up {
                    Some((x, y, additive)) => {
                        self.pointer_up(on, x, y, additive);
                    }
                    None => self.pointer_cancel(),
                }
            }
        }
        if p.down.len() < 2 {
            p.pinch = None;
        }
        Outcome {
            acting_on: Some(on),
            ..Outcome::default()
        }
    }

    /// The page's clock at `time_ms`: a touch held still long enough is a long press, which
    /// abandons the press for the tooltip of what is under it.
    fn hold(&mut self, on: Target, p: &mut Pointers, time_ms: f64) -> Outcome {
        let Some(press) = p.press.as_mut().filter(|press| !press.moved && !press.long) else {
            return Outcome::default();
        };
        let Some(due) = press.long_at_ms else {
            return Outcome::default();
        };
        if time_ms < due {
            return Outcome {
                wake_in_ms: Some(due - time_ms),
                ..Outcome::default()
            };
        }
        press.long = true;
        let at = press.at;
        self.pointer_cancel();
        let tooltip = self.pointer_move(on, at.0, at.1);
        Outcome {
            tooltip: match tip(tooltip) {
                Tip::Hide => Tip::Keep,
                shown => shown,
            },
            ..Outcome::default()
        }
    }
}

#[cfg(test)]
mod tests;
