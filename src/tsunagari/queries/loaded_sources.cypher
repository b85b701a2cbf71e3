// title: Loaded sources
// description: The sources this graph was built from, how many facts each gave, how old
//   each is and the licence or attribution it requires; every answer states these so a
//   reader knows what "none" and "unknown" are relative to.
// params:
MATCH (s:Source)
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.rows AS rows,
       coalesce(s.url, '') AS url, coalesce(s.licence, '') AS licence, s.file AS file
ORDER BY id
