//! The story as the page's DOM needs it (header, legend, event list), borrowed rather than
//! copied, in the shapes the JS handle serialises.

use serde::Serialize;

use crate::story::dates::{Precision, iso};
use crate::view::app::App;

/// The story as the page's DOM needs it: header, legend and event list. Borrowed from the
/// story rather than copied: a big story's view is tens of megabytes of text (issue 6).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoryView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub credit: Option<&'a str>,
    pub published: Option<&'a str>,
    pub groups: Vec<GroupView<'a>>,
    pub actors: Vec<ActorView<'a>>,
    /// All of them, or none in [`App::story_head`] (the page takes them in parts).
    pub events: Vec<EventView<'a>>,
    pub event_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub color: String,
    pub shape: crate::story::model::Shape,
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
    /// event made a third of a big story's view (the page puts them back; `www/castline.js`).
    pub actors: &'a [usize],
    pub description: Option<&'a str>,
    pub sources: Vec<SourceView<'a>>,
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
            ..self.story_head()
        }
    }

    /// [`App::story_view`] without its events: a big story's page takes them in parts
    /// ([`App::event_views`]) so that no task of its start runs long.
    pub fn story_head(&self) -> StoryView<'_> {
        let s = &self.fixed.story;
        StoryView {
            title: &s.title,
            summary: s.summary.as_deref(),
            credit: s.credit.as_deref(),
            published: s.published.as_deref(),
            groups: s
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| GroupView {
                    id: &g.id,
                    name: &g.name,
                    color: g.color.hex(),
                    shape: s.group_shape(i),
                })
                .collect(),
            actors: s
                .actors
                .iter()
                .enumerate()
                .map(|(i, a)| ActorView {
                    id: &a.id,
                    name: &a.name,
                    role: a.role.as_deref(),
                    group: a.group.map(|g| s.groups[g].id.as_str()),
                    color: s.actor_color(i).hex(),
                    shape: s.actor_shape(i),
                    event_count: self.fixed.graph.event_count(i),
                    description: a.description.as_deref(),
                    url: a.url.as_deref(),
                })
                .collect(),
            events: Vec::new(),
            event_count: s.events.len(),
        }
    }

    /// Up to `count` of the story's events from the `first`, as [`App::story_view`] has them.
    pub fn event_views(&self, first: usize, count: usize) -> Vec<EventView<'_>> {
        let s = &self.fixed.story;
        let events = s.events.get(first..).unwrap_or_default();
        events
            .iter()
            .take(count)
            .map(|e| EventView {
                id: &e.id,
                title: &e.title,
                date_text: e.date_text.as_deref(),
                date_label: e.when.label(),
                start: iso(e.when.start_secs),
                end: iso(e.when.end_secs),
                precision: e.when.precision,
                approximate: e.when.approximate,
                uncertain: e.when.uncertain,
                actors: &e.actors,
                description: e.description.as_deref(),
                sources: e
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
            })
            .collect()
    }
}
