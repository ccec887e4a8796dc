package rest

import (
	"strconv"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// Statistics are the figures of GraphWalker's getStatistics object
// (Result.updateResults, protocol.md §2.5), summed over all models.
type Statistics struct {
	Models, Completed, Incomplete, Failed, NotExecuted int
	Edges, UnvisitedEdges, VisitedEdges                int
	Vertices, UnvisitedVertices, VisitedVertices       int
	Requirements, NotCovered, Passed, FailedReqs       int
}

// Count computes the statistics of m.
func Count(m *machine.Machine) Statistics {
	var st Statistics
	for _, c := range m.Contexts() {
		st.Models++
		switch c.Status() {
		case machine.Completed:
			st.Completed++
		case machine.Executing:
			st.Incomplete++
		case machine.Failed:
			st.Failed++
		case machine.NotExecuted:
			st.NotExecuted++
		}
		mod := c.Model()
		st.Edges += len(mod.Edges)
		st.Vertices += len(mod.Vertices)
		st.VisitedEdges += c.VisitedEdges()
		st.VisitedVertices += c.VisitedVertices()
		for _, r := range c.Requirements() {
			st.Requirements++
			switch r.Status {
			case machine.NotCovered:
				st.NotCovered++
			case machine.Passed:
				st.Passed++
			case machine.RequirementFailed:
				st.FailedReqs++
			}
		}
	}
	st.UnvisitedEdges = st.Edges - st.VisitedEdges
	st.UnvisitedVertices = st.Vertices - st.VisitedVertices
	return st
}

// AppendStatistics appends the getStatistics reply for m: the statistics
// object with "result":"ok". Keys come in org.json's HashMap order for this
// key set (protocol.md Appendix B; one order serves every subset because
// all of them fit the same 32-bucket table). edgeCoverage and vertexCoverage
// are left out when there is nothing to cover, the requirement keys when
// no model has a requirement, as in GraphWalker.
func AppendStatistics(b []byte, m *machine.Machine) []byte {
	st := Count(m)
	req := st.Requirements > 0
	b = append(b, `{"totalFailedNumberOfModels":`...)
	b = strconv.AppendInt(b, int64(st.Failed), 10)
	b = appendInt(b, "totalNotExecutedNumberOfModels", st.NotExecuted)
	b = appendInt(b, "totalNumberOfUnvisitedVertices", st.UnvisitedVertices)
	b = append(b, `,"verticesNotVisited":`...)
	b = appendVerticesNotVisited(b, m)
	if req {
		b = appendInt(b, "totalNumberOfFailedRequirement", st.FailedReqs)
	}
	b = appendInt(b, "totalNumberOfModels", st.Models)
	b = appendInt(b, "totalCompletedNumberOfModels", st.Completed)
	if req {
		b = append(b, `,"requirementsNotCovered":`...)
		b = appendRequirements(b, m, machine.NotCovered, "requirementKey")
	}
	b = appendInt(b, "totalNumberOfVisitedEdges", st.VisitedEdges)
	b = appendInt(b, "totalIncompleteNumberOfModels", st.Incomplete)
	b = append(b, `,"edgesNotVisited":`...)
	b = appendEdgesNotVisited(b, m)
	b = append(b, `,"result":"ok"`...)
	if req {
		b = appendInt(b, "requirementCoverage", 100*(st.Requirements-st.NotCovered)/st.Requirements)
		b = append(b, `,"requirementsPassed":`...)
		b = appendRequirements(b, m, machine.Passed, "requirementKey")
		b = append(b, `,"requirementsFailed":`...)
		b = appendRequirements(b, m, machine.RequirementFailed, "RequirementKey") // capital R, as GraphWalker
	}
	if st.Vertices > 0 {
		b = appendInt(b, "vertexCoverage", 100*(st.Vertices-st.UnvisitedVertices)/st.Vertices)
	}
	b = appendInt(b, "totalNumberOfEdges", st.Edges)
	b = appendInt(b, "totalNumberOfVisitedVertices", st.VisitedVertices)
	if req {
		b = appendInt(b, "totalNumberOfRequirement", st.Requirements)
		b = appendInt(b, "totalNumberOfUncoveredRequirement", st.NotCovered)
	}
	if st.Edges > 0 {
		b = appendInt(b, "edgeCoverage", 100*(st.Edges-st.UnvisitedEdges)/st.Edges)
	}
	b = appendInt(b, "totalNumberOfVertices", st.Vertices)
	if req {
		b = appendInt(b, "totalNumberOfPassedRequirement", st.Passed)
	}
	b = appendInt(b, "totalNumberOfUnvisitedEdges", st.UnvisitedEdges)
	return append(b, '}')
}

func appendInt(b []byte, key string, v int) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	b = append(b, '"', ':')
	return strconv.AppendInt(b, int64(v), 10)
}

// appendModelName starts an entry object with its modelName member; a
// model without a name has none (org.json drops null values).
func appendModelName(b []byte, mod *model.Model) ([]byte, bool) {
	b = append(b, '{')
	if mod.Name == "" {
		return b, false
	}
	b = append(b, `"modelName":`...)
	return appendString(b, mod.Name), true
}

func comma(b []byte, needed bool) []byte {
	if needed {
		return append(b, ',')
	}
	return b
}

// appendVerticesNotVisited: [{"modelName","vertexName","vertexId"}], in
// model then vertex order.
func appendVerticesNotVisited(b []byte, m *machine.Machine) []byte {
	b = append(b, '[')
	first := true
	for _, c := range m.Contexts() {
		mod := c.Model()
		for i, v := range mod.Vertices {
			if c.Visited(i) {
				continue
			}
			b = comma(b, !first)
			first = false
			var some bool
			b, some = appendModelName(b, mod)
			if v.Name != "" {
				b = comma(b, some)
				b = append(b, `"vertexName":`...)
				b = appendString(b, v.Name)
				some = true
			}
			b = comma(b, some)
			b = append(b, `"vertexId":`...)
			b = appendString(b, v.ID)
			b = append(b, '}')
		}
	}
	return append(b, ']')
}

// appendEdgesNotVisited: [{"modelName","edgeId","edgeName"}].
func appendEdgesNotVisited(b []byte, m *machine.Machine) []byte {
	b = append(b, '[')
	first := true
	for _, c := range m.Contexts() {
		mod := c.Model()
		nv := len(mod.Vertices)
		for j, e := range mod.Edges {
			if c.Visited(nv + j) {
				continue
			}
			b = comma(b, !first)
			first = false
			var some bool
			b, some = appendModelName(b, mod)
			b = comma(b, some)
			b = append(b, `"edgeId":`...)
			b = appendString(b, e.ID)
			if e.Name != "" {
				b = append(b, `,"edgeName":`...)
				b = appendString(b, e.Name)
			}
			b = append(b, '}')
		}
	}
	return append(b, ']')
}

// appendRequirements lists the requirements with status st as
// [{"modelName",key}], in model order.
func appendRequirements(b []byte, m *machine.Machine, st machine.RequirementStatus, key string) []byte {
	b = append(b, '[')
	first := true
	for _, c := range m.Contexts() {
		mod := c.Model()
		for _, r := range c.Requirements() {
			if r.Status != st {
				continue
			}
			b = comma(b, !first)
			first = false
			var some bool
			b, some = appendModelName(b, mod)
			b = comma(b, some)
			b = append(b, '"')
			b = append(b, key...)
			b = append(b, `":`...)
			b = appendString(b, r.Key)
			b = append(b, '}')
		}
	}
	return append(b, ']')
}
