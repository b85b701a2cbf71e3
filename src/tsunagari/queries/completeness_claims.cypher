// title: Completeness claims
// description: What each loaded source claims to list completely: services, areas (団体コード
//   of prefectures or municipalities, 'all' for Japan) and whether the claim covers
//   specialised support too. A claim dated before $since (a year or date; '' for none) is
//   left out with the facts it vouches for. coverage.py tells none from unknown with these.
// params: since
MATCH (c:Completeness)
WHERE $since = '' OR coalesce(c.as_of, '') >= $since
RETURN c.id AS id, c.name AS name, c.source AS source, c.as_of AS as_of,
       coalesce(c.services, []) AS services, coalesce(c.areas, []) AS areas,
       coalesce(c.covers_specialised, false) AS covers_specialised
ORDER BY id
