//! The overview's rules (issue 20 §3): when a big network is drawn as its communities, which
//! of them are open (drawn as their actors) and which closed (one mark each), and what
//! clicking, zooming and selecting do to them. The marks themselves are `place::overview`'s.
//!
//! A community is open when the reader clicked it (until they zoom back out to the whole
//! picture), when its mark would be big on screen (semantic zoom), when it holds an actor
//! the reader selected, the focused event's or the keyboard's (so search, the lists, a link
//! and the keys reach every actor), and when it has one member (a mark would only hide it).
//!
//! The story's groups collapse the same way (issue 20 §3, KeyLines' combos), when the
//! network is no overview: a group the reader collapsed (the legend's second button,
//! `Viewer::collapseGroup`) is one mark until they expand it (that button again, or a click
//! on the mark), except while it holds an actor selected, the focused event's or the
//! keyboard's, as a community. Zooming neither opens nor closes a group: the reader chose.
//! In an overview the communities do this job, and the groups' collapsing waits (it shows
//! again once the overview is gone).

use std::rc::Rc;

use crate::place::network::NetworkScene;
use crate::place::overview::{
    Communities, IN_BUILD, Mark, MarkScene, Partition, mark_radius, opens,
};
use crate::story::communities::Overview;
use crate::view::app::{App, Target};

impl App {
    /// The story's communities if they were found.
    pub fn communities_found(&self) -> Option<&Rc<Communities>> {
        self.fixed.communities.get().filter(|_| IN_BUILD)
    }

    /// Finds the story's communities now if they are not yet (Louvain over every tie: about
    /// 0.2 s at W4 natively), and views the network again with them.
    pub fn find_communities(&mut self) {
        self.communities_now();
        self.view_network();
    }

    /// Whether the time axis is still to take a lane per community (after
    /// [`App::find_communities`]): the page places it in a frame of its own, as W4's 200,000
    /// events on the lanes and Louvain together would make one long task.
    pub fn community_lanes_due(&self) -> bool {
        !self.timeline_by_community
            && cfg!(feature = "full")
            && self.fixed.names.len() > crate::place::lod::OVERVIEW_ACTORS
            && self.communities_found().is_some()
    }

    /// The story's communities, found at the first call.
    fn communities_now(&self) -> Rc<Communities> {
        let fixed = &self.fixed;
        fixed
            .communities
            .get_or_init(|| {
                let overview = Overview::of_graph(fixed.story.actors.len(), &fixed.graph.edges);
                Rc::new(Communities::new(overview, &fixed.names, |a| {
                    fixed.story.actor_color(a)
                }))
            })
            .clone()
    }

    /// Whether the network wants an overview whose communities are still to be found: the
    /// page finds them in a frame of their own ([`App::defer_communities`]).
    pub fn communities_due(&self) -> bool {
        self.fixed.communities.get().is_none()
            && !self.communities_elsewhere
            && self.wants_overview(&self.window_shown())
    }

    /// Whether the network wants an overview whose communities are still to come while its
    /// layout runs in the page's worker ([`App::lay_out_elsewhere`], which finds them first,
    /// or the page in a frame of its own): until then it draws every actor as it moves,
    /// without names, ties or relations ([`crate::draw::Frame::overview_coming`]). At W4 its
    /// 20,000 names and strongest ties made that first paint one long task, for a picture the
    /// overview replaces within a second.
    pub fn overview_coming(&self) -> bool {
        self.fixed.communities.get().is_none()
            && self.elsewhere.is_some()
            && self.wants_overview(&self.window_shown())
    }

    /// How many of the layout's links ([`App::lay_out_elsewhere`]'s graph) are the story's ties,
    /// when the worker is to find the communities over them ([`App::take_communities`]); 0
    /// when it is not.
    pub fn communities_elsewhere(&self) -> usize {
        if self.communities_elsewhere {
            self.fixed.graph.edges.len()
        } else {
            0
        }
    }

    /// Takes the communities found elsewhere (each actor's, as `louvain` numbers them, over the
    /// story's ties) and views the network with them. False, and the page finds them itself,
    /// when they are no partition of the actors or were found here already.
    pub fn take_communities(&mut self, of: &[u32]) -> bool {
        self.communities_elsewhere = false;
        let fixed = &self.fixed;
        if fixed.communities.get().is_some() {
            return false;
        }
        let Some(overview) = Overview::of_partition(fixed.names.len(), &fixed.graph.edges, of)
        else {
            return false;
        };
        let communities = Communities::new(overview, &fixed.names, |a| fixed.story.actor_color(a));
        if fixed.communities.set(Rc::new(communities)).is_err() {
            return false;
        }
        self.view_network();
        true
    }

    /// Leaves finding the communities to [`App::find_communities`] (the page's frames, so
    /// the story's start is not held up); until then a big network draws every actor.
    pub fn defer_communities(&mut self, defer: bool) {
        self.communities_deferred = defer;
    }

    /// Actors a time window leaves shown (all of them without one).
    pub(crate) fn window_shown(&self) -> Vec<bool> {
        if self.reader.selection.window.is_some() {
            self.derived.visible_actors.clone()
        } else {
            vec![true; self.fixed.names.len()]
        }
    }

    /// Only in the full build: the page opens a big story with it (`shell/wasm.js`), and the
    /// first download, for the stories a first paint is for, stays without the overview.
    fn wants_overview(&self, shown: &[bool]) -> bool {
        cfg!(feature = "full")
            && shown.iter().filter(|&&s| s).count() > crate::place::lod::OVERVIEW_ACTORS
    }

    /// The communities and which are open for the view about to be shown (camera
    /// `camera_k`), or `None` when the network is no overview (every actor drawn).
    pub(crate) fn overview_for(&self, shown: &[bool], camera_k: f64) -> Option<MarkPlan> {
        if !self.wants_overview(shown) {
            return None;
        }
        if self.fixed.communities.get().is_none() && self.communities_deferred {
            return None;
        }
        let communities = self.communities_now();
        let of = &communities.overview.of;
        let count = communities.count();
        let (members, radius) = self.marks_sized(of, count, shown, camera_k);
        let (w, h) = self.network_size;
        let mut open: Vec<bool> = (0..count)
            .map(|c| members[c] <= 1 || opens(radius[c], w, h))
            .collect();
        self.open_anchors(of, &mut open);
        for &c in &self.reader.opened {
            if let Some(slot) = open.get_mut(c) {
                *slot = true;
            }
        }
        Some(MarkPlan {
            communities,
            open,
            radius,
        })
    }

    /// Opens the classes of `of` that hold an actor the reader selected, the focused
    /// event's or the keyboard's: search, the lists, a link and the keys reach every actor.
    fn open_anchors(&self, of: &[u32], open: &mut [bool]) {
        let selection = &self.reader.selection;
        let focused_actors = selection
            .focused
            .and_then(|e| self.fixed.story.events.get(e))
            .map_or(&[][..], |e| &e.actors[..]);
        let keyboard = match self.reader.keyboard.focus {
            Some(Target::Network) => self.reader.keyboard.actor,
            _ => None,
        };
        let anchors = selection
            .actors
            .iter()
            .chain(focused_actors)
            .chain(&keyboard);
        for &a in anchors {
            if let Some(slot) = of.get(a).and_then(|&c| open.get_mut(c as usize)) {
                *slot = true;
            }
        }
    }

    /// The marks for the view about to be shown (camera `camera_k`): a big story's
    /// communities, else the groups the reader collapsed; `None` when every actor is drawn.
    pub(crate) fn mark_plan(&self, shown: &[bool], camera_k: f64) -> Option<MarkPlan> {
        self.overview_for(shown, camera_k)
            .or_else(|| self.collapsed_plan(shown, camera_k))
    }

    /// Each class's members among the actors `shown` (`of`: each actor's of `count` classes)
    /// and its mark's radius at camera zoom `camera_k`: area by members.
    fn marks_sized(
        &self,
        of: &[u32],
        count: usize,
        shown: &[bool],
        camera_k: f64,
    ) -> (Vec<usize>, Vec<f64>) {
        let mut members = vec![0usize; count];
        for (a, &c) in of.iter().enumerate() {
            if shown.get(a).copied().unwrap_or(false) {
                members[c as usize] += 1;
            }
        }
        let (w, h) = self.network_size;
        let radius = (members.iter())
            .map(|&m| mark_radius(m, of.len(), w, h, camera_k))
            .collect();
        (members, radius)
    }

    /// The groups as marks: those the reader collapsed closed, but for the anchors'.
    fn collapsed_plan(&self, shown: &[bool], camera_k: f64) -> Option<MarkPlan> {
        if self.reader.collapsed.is_empty() {
            return None;
        }
        let groups = self.group_partition();
        let of = &groups.overview.of;
        let count = groups.count();
        // Sized as a community of as many actors would be: area by members.
        let (_, radius) = self.marks_sized(of, count, shown, camera_k);
        let mut open = vec![true; count];
        for &g in &self.reader.collapsed {
            if let Some(slot) = open.get_mut(g) {
                *slot = false;
            }
        }
        self.open_anchors(of, &mut open);
        Some(MarkPlan {
            communities: groups,
            open,
            radius,
        })
    }

    /// The time axis's lanes when it has one per community: a story big enough for the
    /// overview whose communities were found. The communities of two or more with events,
    /// most members first (ties by number); actors alone share the last lane, as they have
    /// no mark in the network either. The same whatever the reader shows, so the axis does
    /// not change its lanes under them.
    pub(crate) fn community_lanes(&self) -> Option<(Rc<Communities>, Vec<usize>)> {
        let n = self.fixed.names.len();
        if !(cfg!(feature = "full") && n > crate::place::lod::OVERVIEW_ACTORS) {
            return None;
        }
        let communities = self.communities_found()?.clone();
        let members = &communities.overview.members;
        let mut order: Vec<usize> = (0..members.len())
            .filter(|&c| {
                members[c].len() >= 2
                    && members[c]
                        .iter()
                        .any(|&a| self.fixed.priority.get(a as usize).is_some_and(|&p| p > 0))
            })
            .collect();
        crate::story::order::sort_by_keys(&mut order, |&c| {
            [u64::MAX - members[c].len() as u64, 0, 0]
        });
        Some((communities, order))
    }

    /// The story's groups as a partition of its actors, made at the first collapse.
    fn group_partition(&self) -> Rc<Communities> {
        let fixed = &self.fixed;
        fixed
            .groups
            .get_or_init(|| {
                Rc::new(Communities::of_groups(
                    &fixed.story,
                    &fixed.actors_by_priority,
                ))
            })
            .clone()
    }

    /// Collapses the group with this id into one mark, or expands it again; an unknown id
    /// is an error and changes nothing.
    pub fn collapse_group(&mut self, id: &str, collapse: bool) -> Result<(), String> {
        let g = (self.fixed.story.groups.iter())
            .position(|g| g.id == id)
            .ok_or_else(|| format!("there is no group with id \"{id}\""))?;
        if self.reader.collapsed.contains(&g) == collapse {
            return Ok(());
        }
        if collapse {
            self.reader.collapsed.push(g);
        } else {
            self.reader.collapsed.retain(|&k| k != g);
        }
        self.view_network();
        self.view_changed();
        Ok(())
    }

    /// The ids of the groups the reader collapsed, in the order they were.
    pub fn collapsed_groups(&self) -> Vec<String> {
        let groups = &self.fixed.story.groups;
        (self.reader.collapsed.iter())
            .filter_map(|&g| groups.get(g).map(|g| g.id.clone()))
            .collect()
    }

    /// A collapsed group's mark, where it is drawn; `None` when the group is drawn as its
    /// actors (or is unknown).
    pub fn group_mark(&self, id: &str) -> Option<&Mark> {
        if self.marks.partition() != Some(Partition::Groups) {
            return None;
        }
        let g = self.fixed.story.groups.iter().position(|g| g.id == id)?;
        self.marks.mark(g)
    }

    /// A click on the mark of class `c`: a community opens, a group expands.
    pub(crate) fn open_mark(&mut self, c: usize) {
        match self.marks.partition() {
            Some(Partition::Groups) => {
                if let Some(id) = self.fixed.story.groups.get(c).map(|g| g.id.clone()) {
                    // The id is the story's own: it cannot be unknown.
                    let _ = self.collapse_group(&id, false);
                }
            }
            Some(Partition::Communities) => self.open_community(c),
            None => {}
        }
    }

    /// Opens community `c` (a click on its mark) and frames its actors.
    pub fn open_community(&mut self, c: usize) {
        let Some(members) = self
            .communities_found()
            .and_then(|k| k.overview.members.get(c))
            .map(|m| m.iter().map(|&a| a as usize).collect::<Vec<usize>>())
        else {
            return;
        };
        if !self.reader.opened.contains(&c) {
            self.reader.opened.push(c);
        }
        self.view_network();
        self.reader.camera = self.network.framing(&members);
        self.view_network();
        self.view_changed();
    }

    /// The communities the reader opened close again once they zoom out to the whole
    /// picture (a camera of no zoom or less): the overview is back.
    pub(crate) fn close_when_zoomed_out(&mut self) {
        if self.reader.camera.k <= 1.0 && !self.reader.opened.is_empty() {
            self.reader.opened.clear();
            self.view_network();
        }
    }

    /// The communities the reader opened by clicking, in the order they were.
    pub fn opened_communities(&self) -> &[usize] {
        &self.reader.opened
    }

    pub(crate) fn community_tooltip(&self, c: usize) -> String {
        let members = self.marks.mark(c).map_or(0, |m| m.members);
        let noun = if members == 1 { "actor" } else { "actors" };
        if self.marks.partition() == Some(Partition::Groups) {
            return format!(
                "{}\nGroup of {members} {noun}, collapsed: click to expand it",
                self.marks.name(c)
            );
        }
        if !IN_BUILD {
            return String::new();
        }
        format!(
            "{}\nA community of {members} {noun}: click or zoom in to open it",
            self.marks.name(c)
        )
    }
}

/// What [`App::overview_for`] decided for a view: the communities, which are open, and each
/// one's mark radius.
pub(crate) struct MarkPlan {
    pub(crate) communities: Rc<Communities>,
    pub(crate) open: Vec<bool>,
    pub(crate) radius: Vec<f64>,
}

impl MarkPlan {
    /// The marks of the actors `shown` by the time window, where `scene` draws them, their
    /// names clear of the actors it draws and their names.
    pub(crate) fn place(self, shown: &[bool], scene: &NetworkScene) -> MarkScene {
        MarkScene::place(
            self.communities,
            self.open,
            &self.radius,
            |a| shown.get(a).copied().unwrap_or(false),
            &scene.x,
            &scene.y,
            (scene.width, scene.height),
            |r| scene.clear_of_actors(r),
        )
    }
}
