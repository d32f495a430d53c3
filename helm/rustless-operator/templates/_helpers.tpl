{{/* Chart name, truncated to the 63 characters a label allows. */}}
{{- define "rustless-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name of the operator's objects. */}}
{{- define "rustless-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "rustless-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rustless-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rustless-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rustless-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rustless-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rustless-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The ClusterRole that owns this release's WasmPlugins (cluster-scoped, so it may own objects in the
gateway's namespace): `helm uninstall` deletes it and Kubernetes' garbage collector then deletes them.
*/}}
{{- define "rustless-operator.anchorName" -}}
{{- printf "%s-wasmplugin-owner" (include "rustless-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* What the operator does with its sources and their build Jobs, in a watched namespace (or all). */}}
{{- define "rustless-operator.sourceRules" -}}
- apiGroups: ["rustless.io"]
  resources: ["rustlesswasmpluginsources"]
  # patch: only to remove the finalizer versions before 0.2 put on sources; the spec is never written
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["rustless.io"]
  resources: ["rustlesswasmpluginsources/status"]
  verbs: ["get", "update"]
- apiGroups: ["rustless.io"]
  # build Jobs are owned by their source with blockOwnerDeletion
  resources: ["rustlesswasmpluginsources/finalizers"]
  verbs: ["update"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- if .Values.buildNetworkPolicy.enabled }}
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
{{- end }}
{{- if .Values.git.readSecrets }}
- apiGroups: [""]
  # one named Secret at a time (spec.source.git.secretRef), never listed or watched
  resources: ["secrets"]
  verbs: ["get"]
{{- end }}
{{- end }}
