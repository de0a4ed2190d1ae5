// The bench's TimelineJS page: the story as TimelineJS JSON (timeline.json, written by
// bench/lighthouse.mjs from data/peace-plan-2025.json), in TimelineJS 3's own viewer.
/* global TL */
new TL.Timeline('timeline-embed', 'timeline.json', { hash_bookmark: false });
