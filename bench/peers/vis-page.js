// The bench's vis page: the story's actors as a vis-network (ties between actors who took part
// in an event together, and the story's relations) above its events on a vis-timeline, from
// vis.json (written by bench/lighthouse.mjs from data/peace-plan-2025.json).
/* global vis */
(async () => {
  const story = await (await fetch('vis.json')).json();
  new vis.Network(document.getElementById('network'), {
    nodes: new vis.DataSet(story.nodes),
    edges: new vis.DataSet(story.edges),
  }, { physics: { stabilization: { iterations: 200 } } });
  new vis.Timeline(document.getElementById('timeline'), new vis.DataSet(story.items), {});
})();
