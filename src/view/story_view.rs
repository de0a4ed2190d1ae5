//! The story as the page asks for it, borrowed rather than copied, in the shapes the JS
//! handle serialises: the head (header, legend, counts), the items of the lists a page at a
//! time, the search box's answers, and the whole story for the handle's `story()`. The page
//! keeps none of it: it asks again for what it shows.

use serde::Serialize;

use crate::story::dates::{Precision, iso};
use crate::story::model::{Media, MediaKind};
use crate::view::app::App;
use crate::view::search::Entry;

/// The whole story as the JS handle's `story()` gives it: header, groups, actors and events
/// with resolved dates. Borrowed from the story rather than copied: a big story's view is
/// tens of megabytes of text (issue 6).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryView<'a> {
    #[serde(flatten)]
    pub header: Header<'a>,
    pub actors: Vec<ActorView<'a>>,
    /// All of them, or none in [`App::story_outline`] (the handle takes them in parts).
    pub events: Vec<EventView<'a>>,
    pub event_count: usize,
}

/// The story's header and its groups (the legend), in both of the above.
#[derive(Debug, Clone, Serialize)]
pub struct Header<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub published: Option<&'a str>,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub color: String,
    pub shape: crate::story::model::Shape,
    /// How many actors it has: a group of none cannot be selected.
    pub member_count: usize,
}

/// What the page shows around the pictures ([`App::story_head`]).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryHead<'a> {
    #[serde(flatten)]
    pub header: Header<'a>,
    pub actor_count: usize,
    pub event_count: usize,
    /// The first and the last event's dates in words, for the time axis's label.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub group: Option<&'a str>,
    pub color: String,
    pub shape: crate::story::model::Shape,
    pub event_count: usize,
    pub description: Option<&'a str>,
    pub url: Option<&'a str>,
    /// Left out when there is none, as in most stories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date_text: Option<&'a str>,
    pub date_label: String,
    pub start: String,
    pub end: String,
    pub precision: Precision,
    pub approximate: bool,
    pub uncertain: bool,
    /// Positions in `actors`, not the actors themselves: their ids and names again in every
    /// event made a third of a big story's view (the handle puts them back; `www/shell/story.js`).
    pub actors: &'a [usize],
    /// The actors' names, in the page's list items only ([`App::event_items`]); left out
    /// when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actor_names: Vec<&'a str>,
    pub description: Option<&'a str>,
    pub sources: Vec<SourceView<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaView<'a>>,
}

/// A picture or a link, as the loader kept it: its URL is `https:` for an image and
/// `http(s):` for a link (`read::load::checked_media`), so the page may set it as it is.
#[derive(Debug, Clone, Serialize)]
pub struct MediaView<'a> {
    pub url: &'a str,
    pub kind: MediaKind,
    pub alt: &'a str,
    pub credit: Option<&'a str>,
    pub caption: Option<&'a str>,
}

fn media_views(media: &[Media]) -> Vec<MediaView<'_>> {
    media
        .iter()
        .map(|m| MediaView {
            url: &m.url,
            kind: m.kind,
            alt: &m.alt,
            credit: m.credit.as_deref(),
            caption: m.caption.as_deref(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView<'a> {
    pub name: &'a str,
    pub quote: Option<&'a str>,
    pub url: Option<&'a str>,
}

impl App {
    pub fn story_view(&self) -> StoryView<'_> {
        StoryView {
            events: self.event_views(0, self.fixed.story.events.len()),
            ..self.story_outline()
        }
    }

    /// [`App::story_view`] without its events: the handle takes them in parts
    /// ([`App::event_views`]).
    pub fn story_outline(&self) -> StoryView<'_> {
        let s = &self.fixed.story;
        StoryView {
            header: self.header(),
            actors: pick(s.actors.len(), None, |a| self.actor_view(a)),
            events: Vec::new(),
            event_count: s.events.len(),
        }
    }

    /// Up to `count` of the story's events from the `first`, as [`App::story_view`] has them.
    pub fn event_views(&self, first: usize, count: usize) -> Vec<EventView<'_>> {
        let n = self.fixed.story.events.len();
        (first.min(n)..first.saturating_add(count).min(n))
            .map(|e| self.event_view(e))
            .collect()
    }

    fn event_view(&self, e: usize) -> EventView<'_> {
        let s = &self.fixed.story;
        let event = &s.events[e];
        EventView {
            id: &event.id,
            title: &event.title,
            date_text: event.date_text.as_deref(),
            date_label: event.when.label(),
            start: iso(event.when.start_secs),
            end: iso(event.when.end_secs),
            precision: event.when.precision,
            approximate: event.when.approximate,
            uncertain: event.when.uncertain,
            actors: &event.actors,
            actor_names: Vec::new(),
            description: event.description.as_deref(),
            sources: event
                .sources
                .iter()
                .map(|c| {
                    let source = &s.sources[c.source];
                    SourceView {
                        name: &source.name,
                        quote: c.quote.as_deref(),
                        url: c.url.as_deref().or(source.url.as_deref()),
                    }
                })
                .collect(),
            media: media_views(&event.media),
        }
    }

    /// What the page shows around the pictures and says in words: the header, the legend's
    /// groups, the counts, the story's first and last dates. Its actors and events come a
    /// page at a time ([`App::actor_items`], [`App::event_items`]).
    pub fn story_head(&self) -> StoryHead<'_> {
        let s = &self.fixed.story;
        let label = |e: Option<&crate::story::model::Event>| e.map(|e| e.when.label());
        StoryHead {
            header: self.header(),
            actor_count: s.actors.len(),
            event_count: s.events.len(),
            first_date: label(s.events.first()).filter(|l| !l.is_empty()),
            last_date: label(s.events.last()).filter(|l| !l.is_empty()),
        }
    }

    fn header(&self) -> Header<'_> {
        let s = &self.fixed.story;
        Header {
            title: &s.title,
            summary: s.summary.as_deref(),
            credit: s.credit.as_deref(),
            published: s.published.as_deref(),
            groups: self.group_views(),
        }
    }

    fn group_views(&self) -> Vec<GroupView<'_>> {
        let s = &self.fixed.story;
        let mut members = vec![0; s.groups.len()];
        for g in s.actors.iter().filter_map(|a| a.group) {
            members[g] += 1;
        }
        s.groups
            .iter()
            .zip(members)
            .enumerate()
            .map(|(i, (g, member_count))| GroupView {
                id: &g.id,
                name: &g.name,
                color: g.color.hex(),
                shape: s.group_shape(i),
                member_count,
            })
            .collect()
    }

    fn actor_view(&self, a: usize) -> ActorView<'_> {
        let s = &self.fixed.story;
        let actor = &s.actors[a];
        ActorView {
            id: &actor.id,
            name: &actor.name,
            role: actor.role.as_deref(),
            group: actor.group.map(|g| s.groups[g].id.as_str()),
            color: s.actor_color(a).hex(),
            shape: s.actor_shape(a),
            event_count: self.fixed.graph.event_count(a),
            description: actor.description.as_deref(),
            url: actor.url.as_deref(),
            media: media_views(&actor.media),
        }
    }

    /// The actors with these ids (unknown ones left out), or every actor, for the page's
    /// actor buttons.
    pub fn actor_items(&self, ids: Option<&[String]>) -> Vec<ActorView<'_>> {
        let wanted = ids.map(|ids| ids.iter().filter_map(|id| self.actor_id(id)).collect());
        pick(self.fixed.story.actors.len(), wanted, |a| {
            self.actor_view(a)
        })
    }

    /// The events with these ids (unknown ones left out), or every event, for the page's
    /// event list: each with its actors' names.
    pub fn event_items(&self, ids: Option<&[String]>) -> Vec<EventView<'_>> {
        let s = &self.fixed.story;
        let wanted = ids.map(|ids| ids.iter().filter_map(|id| self.event_id(id)).collect());
        pick(s.events.len(), wanted, |e| EventView {
            actor_names: s.events[e]
                .actors
                .iter()
                .map(|&a| s.actors[a].name.as_str())
                .collect(),
            ..self.event_view(e)
        })
    }

    /// The ids of the actors at these positions in the story (as `visibleActorIndices` gives
    /// them), or of every actor.
    pub fn actor_ids_at(&self, positions: Option<&[u32]>) -> Vec<&str> {
        let actors = &self.fixed.story.actors;
        pick(actors.len(), positions.map(usizes), |a| {
            actors[a].id.as_str()
        })
    }

    /// The same for events.
    pub fn event_ids_at(&self, positions: Option<&[u32]>) -> Vec<&str> {
        let events = &self.fixed.story.events;
        pick(events.len(), positions.map(usizes), |e| {
            events[e].id.as_str()
        })
    }

    /// The search box's answers for what the reader typed (`view::search`), after folding
    /// whatever is not folded yet.
    pub fn search(&self, query: &str, max: usize) -> Vec<Entry<'_>> {
        let story = &self.fixed.story;
        let mut index = self.fixed.search.borrow_mut();
        index.fold_more(story, usize::MAX);
        index.find(story, query, max)
    }

    /// Folds up to `count` more entries for search; true once all are. The page calls it in
    /// idle tasks after the start: W4's 200,000 titles take about 80 ms in all.
    pub fn fold_for_search(&self, count: usize) -> bool {
        let story = &self.fixed.story;
        self.fixed.search.borrow_mut().fold_more(story, count)
    }
}

/// `make` of each of the `wanted` positions below `n`, in their order, or of all `n`.
fn pick<T>(n: usize, wanted: Option<Vec<usize>>, make: impl FnMut(usize) -> T) -> Vec<T> {
    match wanted {
        Some(wanted) => wanted.into_iter().filter(|&i| i < n).map(make).collect(),
        None => (0..n).map(make).collect(),
    }
}

fn usizes(positions: &[u32]) -> Vec<usize> {
    positions.iter().map(|&i| i as usize).collect()
}
