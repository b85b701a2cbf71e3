// title: Provider delivery modes
// description: How people reach each provider (利用方法: phone, visit, home_visit, online,
//   email, fax), where a source or directory says so. Only centres and organisations carry
//   it, and a list column cannot be padded with null in a UNION for the other labels (the
//   reason it is not a column of provider_details); one branch per label. $ids: provider ids.
// params: ids
MATCH (n:SupportCenter)
WHERE n.id IN $ids
RETURN 'SupportCenter' AS label, n.id AS id, n.delivery_modes AS delivery_modes
UNION ALL
MATCH (n:Organization)
WHERE n.id IN $ids
RETURN 'Organization' AS label, n.id AS id, n.delivery_modes AS delivery_modes
