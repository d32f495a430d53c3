-- Argo CD health check for rustless.io/RustlessWasmPluginSource (kstatus conditions).
-- Suspended: spec.suspend is true (nothing is built or published until it is false again).
-- Progressing: not yet observed; or Ready is Unknown (building, queued, waiting for a build's result).
-- Degraded: Stalled is True (invalid spec or config, a policy violation, retries exhausted), or
--   Ready is False (a failed build or reconcile being retried; the last good WasmPlugin, if any,
--   keeps serving). The message says why.
-- Healthy: the current generation is observed and Ready is True.
local hs = {}
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Reconciliation is suspended (spec.suspend)"
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end
if obj.metadata.generation ~= nil and (obj.status.observedGeneration == nil
    or obj.status.observedGeneration < obj.metadata.generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end
local ready = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Stalled" and condition.status == "True" then
    hs.status = "Degraded"
    hs.message = condition.message
    return hs
  end
  if condition.type == "Ready" then
    ready = condition
  end
end
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end
hs.message = ready.message
if ready.status == "True" then
  hs.status = "Healthy"
elseif ready.status == "False" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
return hs
