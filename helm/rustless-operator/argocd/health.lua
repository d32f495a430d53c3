-- Argo CD health check for rustless.io/RustlessWasmPluginSource.
-- Healthy: the operator has observed the current generation and Ready is True.
-- Progressing: not yet observed, still building, or waiting for the first publish.
-- Degraded: the spec or config is invalid, or the build failed (the last good WasmPlugin,
-- if any, keeps serving; the message says why).
local hs = {}
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
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    hs.message = condition.message
    if condition.status == "True" then
      hs.status = "Healthy"
    elseif condition.reason == "Building" or condition.reason == "NotPublished"
        or condition.reason == "ReconcileError" then
      hs.status = "Progressing"
    else
      hs.status = "Degraded"
    end
    return hs
  end
end
hs.status = "Progressing"
hs.message = "Waiting for the Ready condition"
return hs
