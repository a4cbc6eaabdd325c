//! Pointer gestures on the map as a pure state machine: pointers go down, move and come up;
//! [`Gesture`] says what that means for the view (a drag, a pinch) and whether the pointer
//! should be captured. No DOM here, so the browser tests drive it with plain numbers; the
//! pinch and wheel maths are `guanai_core::geo::Viewport`'s, tested natively.

use guanai_core::geo::{Viewport, WorldBounds};

/// Movement below this many pixels is a click, not a drag.
pub const DRAG_THRESHOLD_PX: f64 = 4.0;

/// A gesture in progress.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Gesture {
    /// Pointers down: id and last client position.
    pointers: Vec<(i32, f64, f64)>,
    /// Where the first pointer went down.
    start: (f64, f64),
    /// The map's top-left on the page when the gesture began.
    origin: (f64, f64),
    dragging: bool,
    /// A drag ended on a pin: its click is not a selection.
    swallow_click: bool,
}

/// What a pointer event asks of the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewChange {
    /// Drag by this many pixels.
    Pan(f64, f64),
    /// Two fingers moved from the first pair of map points to the second.
    Pinch([(f64, f64); 2], [(f64, f64); 2]),
}

impl ViewChange {
    /// `view` after the change, kept within `limits`.
    pub fn apply(self, view: &Viewport, limits: WorldBounds) -> Viewport {
        match self {
            ViewChange::Pan(dx, dy) => view.panned(dx, dy),
            ViewChange::Pinch(before, after) => view.pinched(before, after),
        }
        .kept_within(limits)
    }
}

/// What the canvas should do after a pointer moved.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moved {
    /// Capture the pointer: a drag just began, so it must keep reaching the map.
    pub capture: bool,
    pub change: Option<ViewChange>,
}

impl Gesture {
    /// Pointer `id` went down at client `(x, y)` on a map whose top-left is `origin`. Returns
    /// whether to capture it (a second finger: the pinch must see all its moves).
    pub fn down(&mut self, id: i32, x: f64, y: f64, origin: (f64, f64)) -> bool {
        let second = !self.pointers.is_empty();
        if !second {
            *self = Gesture {
                start: (x, y),
                origin,
                ..Gesture::default()
            };
        }
        self.pointers.retain(|(p, _, _)| *p != id);
        self.pointers.push((id, x, y));
        second
    }

    /// Pointer `id` moved to client `(x, y)`.
    pub fn moved(&mut self, id: i32, x: f64, y: f64) -> Moved {
        let Some(index) = self.pointers.iter().position(|(p, _, _)| *p == id) else {
            return Moved::default();
        };
        let before = self.pointers.clone();
        self.pointers[index] = (id, x, y);
        let far = (x - self.start.0).hypot(y - self.start.1) > DRAG_THRESHOLD_PX;
        let capture = !self.dragging && far;
        if capture {
            self.dragging = true;
            self.swallow_click = true;
        }
        let on_map = |(_, x, y): (i32, f64, f64)| (x - self.origin.0, y - self.origin.1);
        let change = match (before.as_slice(), self.pointers.as_slice()) {
            ([(_, x0, y0)], [_]) if self.dragging => Some(ViewChange::Pan(x - x0, y - y0)),
            ([a0, b0], [a1, b1]) => Some(ViewChange::Pinch(
                [on_map(*a0), on_map(*b0)],
                [on_map(*a1), on_map(*b1)],
            )),
            _ => None,
        };
        Moved { capture, change }
    }

    /// Pointer `id` came up (or was cancelled).
    pub fn up(&mut self, id: i32) {
        self.pointers.retain(|(p, _, _)| *p != id);
        if self.pointers.is_empty() {
            self.dragging = false;
        }
    }

    /// Whether the click that follows was the end of a drag (and so is no click); asking
    /// consumes the answer.
    pub fn take_drag_click(&mut self) -> bool {
        std::mem::take(&mut self.swallow_click)
    }
}
