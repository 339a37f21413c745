"""Capacity and cost planner (issue 11): what a traffic profile does to an env, before deploying.

`storefirst capacity envs/prod --profile examples/capacity/webhook-spike.yaml`
reads the env's own offline plan (envplan), a traffic profile (profile), simulates the
storage-first path and the coupled API -> Lambda -> table path second by second (simulate,
with one model file per service), prices it (prices, cost), computes advice by re-running the
model (advice) and writes a text summary, a JSON report and a PNG (report, plot).
"""
