# Catalog validation with messages that name the operation and the problem. The same rules
# live in storefirst/catalog.py (tests assert both reject the same catalogs).
locals {
  key_fields = [for op in local.norm : distinct(flatten([
    for j, s in local.slots[op.i] : [for t in local.tokens[op.i][j] : t.field if t.field != null]
  ]))]

  errors = compact(flatten([
    try(local.c.version, 0) == 1 ? [] : ["catalog: version must be 1"],
    length(local.names) > 0 ? [] : ["catalog: operations is empty"],
    can(regex(local.ident_re, try(local.tbl.hash_key, ""))) ? [] : ["catalog: table.hash_key must be an attribute name"],
    [for a, t in local.attrs : can(regex(local.ident_re, a)) && contains(["S", "N", "BOOL"], t) ? "" : "catalog: attribute ${a} must be an identifier with type S, N or BOOL"],
    [for op in local.norm : [
      can(regex(local.op_re, op.name)) ? "" : "operation ${op.name}: name must match ${local.op_re}",
      contains(local.kinds, op.kind) ? "" : "operation ${op.name}: kind must be one of ${join(", ", local.kinds)}",
      try(op.data.type, "") == "object" && try(op.data.additionalProperties, true) == false ? "" : "operation ${op.name}: data must be a JSON Schema with type object and additionalProperties false",
      # Keys: the table's key for every kind but query; the index's hash key for query.
      op.kind == "query" ? (
        op.index == null ? (length(local.table_keys) == 2 && keys(op.key) == [local.table_keys[0]] ? "" : "operation ${op.name}: a query without index must set only the table hash key (and the table needs a range key)") :
        contains(keys(local.indexes), op.index) ? (keys(op.key) == [local.indexes[op.index].hash_key] ? "" : "operation ${op.name}: key must set exactly the hash key of index ${op.index} (${local.indexes[op.index].hash_key})") :
        "operation ${op.name}: index ${op.index} is not declared under table.indexes"
      ) : (sort(keys(op.key)) == sort(local.table_keys) ? "" : "operation ${op.name}: key must set exactly the table key ${join(", ", local.table_keys)}"),
      [for a in concat(op.writes, op.returns, keys(op.match)) : contains(keys(local.attrs), a) ? "" : "operation ${op.name}: attribute ${a} is not declared under attributes"],
      [for a in op.writes : contains(local.table_keys, a) ? "operation ${op.name}: writes may not include the table key ${a}" : ""],
      [for a in op.returns : contains(local.table_keys, a) ? "operation ${op.name}: returns may not include the table key ${a}" : ""],
      contains(["create", "update"], op.kind) ? (length(op.writes) > 0 ? "" : "operation ${op.name}: ${op.kind} needs writes") : (length(op.writes) == 0 ? "" : "operation ${op.name}: ${op.kind} cannot write"),
      contains(["get", "query"], op.kind) && length(op.returns) == 0 ? "operation ${op.name}: ${op.kind} needs returns" : "",
      length(op.match) == 0 || contains(["update", "delete"], op.kind) ? "" : "operation ${op.name}: match is only for update and delete",
      [for j, s in local.slots[op.i] : [
        can(regex(local.ident_re, s.attr)) ? "" : "operation ${op.name}: attribute name ${s.attr} must match ${local.ident_re}",
        join("", [for t in local.tokens[op.i][j] : t.lit == null ? "" : t.lit]) == "" || can(regex(local.literal_re, join("", [for t in local.tokens[op.i][j] : t.lit == null ? "" : t.lit]))) ? "" : "operation ${op.name}: literal text in ${s.tmpl} may only use A-Z a-z 0-9 space _ # : . | / @ + = -",
        length(regexall(local.token_re, s.tmpl)) > 0 && join("", regexall(local.token_re, s.tmpl)) == s.tmpl ? "" : "operation ${op.name}: template ${s.tmpl} is malformed",
        length(local.tokens[op.i][j]) == 1 || lookup(local.attrs, s.attr, "S") == "S" ? "" : "operation ${op.name}: ${s.attr} combines text and fields, so it must be of type S",
      ]],
      [for f in local.key_fields[op.i] : [
        contains(keys(try(op.data.properties, {})), f) && contains(try(op.data.required, []), f) ? "" : "operation ${op.name}: field ${f} must be a required property of data",
        # The JSON type must match the attribute type of single-field slots, and text parts need strings.
        try(op.data.properties[f].type, "") == "string" || try(op.data.properties[f].type, "") == "integer" || try(op.data.properties[f].type, "") == "boolean" ? "" : "operation ${op.name}: field ${f} must have type string, integer or boolean",
      ]],
      [for j, s in local.slots[op.i] : (
        length(local.tokens[op.i][j]) == 1 && local.tokens[op.i][j][0].field != null
        ? (try(op.data.properties[local.tokens[op.i][j][0].field].type, "") == lookup(local.json_type, lookup(local.attrs, s.attr, "S"), "a supported type") ? "" : "operation ${op.name}: field ${local.tokens[op.i][j][0].field} must be a JSON ${lookup(local.json_type, lookup(local.attrs, s.attr, "S"), "a supported type")} to fill ${s.attr}")
        : join("", [for t in local.tokens[op.i][j] : t.field == null || try(op.data.properties[t.field].type, "") == "string" ? "" : "operation ${op.name}: field ${t.field} is part of text ${s.tmpl}, so it must be a JSON string"])
      )],
      [for p in keys(try(op.data.properties, {})) : contains(local.key_fields[op.i], p) ? "" : "operation ${op.name}: data property ${p} is not used by the operation"],
    ]],
    # A field name means the same thing everywhere (the envelope model merges them).
    [for p, s in local.union_properties : [for op in local.norm : (
      try(jsonencode(op.data.properties[p]), jsonencode(s)) == jsonencode(s) ? "" : "operation ${op.name}: data property ${p} differs from its definition in another operation"
    )]],
  ]))
}
