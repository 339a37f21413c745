# Turns an operations catalog into what the data API needs: the envelope model (JSON Schema
# draft-04, the dialect API Gateway validates), one VTL request template that dispatches on
# `operation` to a PartiQL ExecuteStatement with typed Parameters, the response templates,
# and the list of PartiQL actions per table / index for the integration role.
#
# Values never enter the statement text: each one is a typed Parameter built with
# $input.json (valid JSON by construction), so no data value can change the statement,
# the key or an attribute name (AWS "PartiQL select/insert/update/delete statements for
# DynamoDB"; ExecuteStatement "Parameters").

locals {
  c     = var.catalog
  ops   = try(local.c.operations, {})
  names = sort(keys(local.ops))
  # Types as strings: YAML 1.1 readers turn an unquoted N into false; the checks then say so.
  attrs   = { for a, t in try(local.c.attributes, {}) : a => tostring(t) }
  tbl     = try(local.c.table, {})
  indexes = try(local.tbl.indexes, {})
  # Key attributes of the table, in key order.
  table_keys = compact([try(local.tbl.hash_key, ""), try(local.tbl.range_key, "")])

  kinds        = ["create", "get", "query", "update", "delete"]
  ident_re     = "^[A-Za-z_][A-Za-z0-9_]{0,63}$"
  op_re        = "^[a-z][a-z0-9-]{0,63}$"
  literal_re   = "^[A-Za-z0-9 _#:.|/@+=-]*$"
  token_re     = "\\{[A-Za-z_][A-Za-z0-9_]*\\}|[^{}]+"
  json_type    = { S = "string", N = "integer", BOOL = "boolean" }
  partiql_verb = { create = "dynamodb:PartiQLInsert", get = "dynamodb:PartiQLSelect", query = "dynamodb:PartiQLSelect", update = "dynamodb:PartiQLUpdate", delete = "dynamodb:PartiQLDelete" }

  # One normalised object per operation, in name order.
  norm = [for i, name in local.names : {
    i            = i
    name         = name
    kind         = try(local.ops[name].kind, "")
    index        = try(local.ops[name].index, null)
    key          = try(local.ops[name].key, {})
    writes       = try(local.ops[name].writes, [])
    returns      = try(local.ops[name].returns, [])
    match        = try(local.ops[name].match, {})
    consistent   = try(local.ops[name].consistent_read, false)
    page_default = try(local.ops[name].page_size.default, 25)
    page_max     = try(local.ops[name].page_size.maximum, 100)
    data         = try(local.ops[name].data, {})
  }]

  # Parameter slots in statement order: [{attr, tmpl}].
  slots = [for op in local.norm : (
    op.kind == "create" ? concat(
      [for a in sort(keys(op.key)) : { attr = a, tmpl = op.key[a] }],
      [for w in op.writes : { attr = w, tmpl = "{${w}}" }]
    ) :
    op.kind == "update" ? concat(
      [for w in op.writes : { attr = w, tmpl = "{${w}}" }],
      [for a in sort(keys(op.key)) : { attr = a, tmpl = op.key[a] }],
      [for a in sort(keys(op.match)) : { attr = a, tmpl = op.match[a] }]
    ) :
    op.kind == "delete" ? concat(
      [for a in sort(keys(op.key)) : { attr = a, tmpl = op.key[a] }],
      [for a in sort(keys(op.match)) : { attr = a, tmpl = op.match[a] }]
    ) :
    [for a in sort(keys(op.key)) : { attr = a, tmpl = op.key[a] }]
  )]

  # Each slot's tokens: literal text or {field}.
  tokens = [for op in local.norm : [for s in local.slots[op.i] : [
    for t in regexall(local.token_re, s.tmpl) : {
      field = startswith(t, "{") ? trim(t, "{}") : null
      lit   = startswith(t, "{") ? null : t
    }
  ]]]

  # VTL for each slot: prelude (#set lines) and the typed AttributeValue JSON.
  slot_vtl = [for op in local.norm : [for j, s in local.slots[op.i] : (
    length(local.tokens[op.i][j]) == 1 && local.tokens[op.i][j][0].field != null ? {
      prelude = ""
      value = (
        lookup(local.attrs, s.attr, "S") == "N" ? "{\"N\":\"$input.json('$.data.${local.tokens[op.i][j][0].field}')\"}" :
        lookup(local.attrs, s.attr, "S") == "BOOL" ? "{\"BOOL\":$input.json('$.data.${local.tokens[op.i][j][0].field}')}" :
        "{\"S\":$input.json('$.data.${local.tokens[op.i][j][0].field}')}"
      )
      } : {
      # Composite string key: the JSON text of each field without its quotes, between
      # literal parts set from single-quoted (never interpolated) Velocity strings.
      prelude = join("", [for k, t in local.tokens[op.i][j] : (
        t.field != null
        ? "#set($v${op.i}_${j}_${k} = $input.json('$.data.${t.field}'))#set($n${op.i}_${j}_${k} = $v${op.i}_${j}_${k}.length() - 1)"
        : "#set($l${op.i}_${j}_${k} = '${t.lit}')"
      )])
      value = "{\"S\":\"${join("", [for k, t in local.tokens[op.i][j] : (
        t.field != null ? "$v${op.i}_${j}_${k}.substring(1, $n${op.i}_${j}_${k})" : "$l${op.i}_${j}_${k}"
      )])}\"}"
    }
  )]]

  qt = "\"${var.table_name}\""
  where = [for op in local.norm : join(" AND ", concat(
    [for a in sort(keys(op.key)) : "\"${a}\" = ?"],
    contains(["update", "delete"], op.kind) ? [for a in sort(keys(op.match)) : "\"${a}\" = ?"] : []
  ))]
  projection = [for op in local.norm : join(", ", [for a in op.returns : "\"${a}\""])]

  statement = [for op in local.norm : (
    op.kind == "create" ? "INSERT INTO ${local.qt} VALUE {${join(", ", [for s in local.slots[op.i] : "'${s.attr}': ?"])}}" :
    op.kind == "get" ? "SELECT ${local.projection[op.i]} FROM ${local.qt} WHERE ${local.where[op.i]}" :
    op.kind == "query" ? "SELECT ${local.projection[op.i]} FROM ${local.qt}${op.index == null ? "" : ".\"${op.index}\""} WHERE ${local.where[op.i]}" :
    op.kind == "update" ? "UPDATE ${local.qt} ${join(" ", [for w in op.writes : "SET \"${w}\" = ?"])} WHERE ${local.where[op.i]} RETURNING ALL NEW *" :
    "DELETE FROM ${local.qt} WHERE ${local.where[op.i]} RETURNING ALL OLD *"
  )]

  # Extra ExecuteStatement members per kind.
  extra = [for op in local.norm : (
    op.kind == "get" ? (op.consistent ? ",\"ConsistentRead\":true" : "") :
    op.kind == "query" ? ",\"Limit\":$limit#if(\"$!nt\" != \"\"),\"NextToken\":$input.json('$.next_token')#end" :
    # ALL_OLD on a failed condition tells a missing item (404) from a mismatch (409).
    contains(["update", "delete"], op.kind) ? ",\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"" : ""
  )]

  request_ops = [for op in local.norm : {
    name    = op.name
    kind    = op.kind
    prelude = join("", [for sv in local.slot_vtl[op.i] : sv.prelude])
    query   = op.kind == "query" ? "#set($limit = \"\")#set($limit = $input.path('$.page_size'))#if(\"$!limit\" == \"\")#set($limit = ${op.page_default})#end#set($nt = \"\")#set($nt = $input.path('$.next_token'))" : ""
    body    = "{\"Statement\":${jsonencode(local.statement[op.i])},\"Parameters\":[${join(",", [for sv in local.slot_vtl[op.i] : sv.value])}]${local.extra[op.i]}}"
  }]

  # Response: one JSON object built from the catalog's returned attributes of item `p`.
  item_vtl = { for op in local.norm : op.name => join(",", [for a in op.returns : (
    lookup(local.attrs, a, "S") == "N"
    ? "\"${a}\":#set($a = \"\")#set($a = $input.path(\"$.Items[$i].${a}.N\"))#if(\"$!a\" == \"\")null#{else}$a#end"
    : "\"${a}\":#set($a = \"\")#set($a = $input.json(\"$.Items[$i].${a}.${lookup(local.attrs, a, "S")}\"))#if(\"$!a\" == \"\")null#{else}$a#end"
  )]) }

  response_ops = [for op in local.norm : {
    name = op.name
    kind = op.kind
    item = local.item_vtl[op.name]
  }]

  union_properties = merge([for op in local.norm : try(op.data.properties, {})]...)
  query_max        = max(concat([1], [for op in local.norm : op.page_max if op.kind == "query"])...)

  model = {
    "$schema"            = "http://json-schema.org/draft-04/schema#"
    title                = "${try(local.c.name, "data")} operation envelope"
    type                 = "object"
    required             = ["operation", "data"]
    additionalProperties = false
    properties = {
      operation = { type = "string", enum = local.names, description = "One of the catalog's operations." }
      # Every field any operation accepts, with its constraints: a bad value is named here.
      data       = { type = "object", additionalProperties = false, properties = local.union_properties }
      page_size  = { type = "integer", minimum = 1, maximum = local.query_max }
      next_token = { type = "string", minLength = 1, maxLength = 8192 }
    }
    # Per operation: its own data schema; page_size/next_token only for queries.
    oneOf = [for op in local.norm : jsondecode(op.kind == "query" ? jsonencode({
      properties = { operation = { enum = [op.name] }, data = op.data, page_size = { maximum = op.page_max } }
      }) : jsonencode({
      properties = { operation = { enum = [op.name] }, data = op.data }
      not        = { anyOf = [{ required = ["page_size"] }, { required = ["next_token"] }] }
    }))]
  }

  grants = distinct([for op in local.norm : {
    action = local.partiql_verb[op.kind]
    index  = op.kind == "query" ? op.index : null
  } if contains(local.kinds, op.kind)])
}
