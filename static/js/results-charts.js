/* Inovasi Award — the judges' score distributions on a stage's results page.
 * Reads the numbers from <script type="application/json" id="judge-chart-data">
 * (written by Django's json_script; the same numbers are in the page's table) and
 * draws one Chart.js chart per canvas[data-judge-chart]. Loaded with defer after
 * static/vendor/chart.umd.min.js; without either, the tables remain.
 */
(function () {
  "use strict";

  function readData() {
    var node = document.getElementById("judge-chart-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null;
    }
  }

  function numbers(values) {
    return values.map(function (value) {
      return Number(value);
    });
  }

  function draw() {
    if (typeof window.Chart === "undefined") return;
    var data = readData();
    if (!data) return;
    var labels = document.getElementById("judge-chart-labels");
    var judgeLabel = (labels && labels.getAttribute("data-judge")) || "Judge";
    var stageLabel = (labels && labels.getAttribute("data-stage")) || "Stage";
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var styles = getComputedStyle(document.documentElement);
    var primary = styles.getPropertyValue("--c-primary").trim() || "#0b5f6b";
    var accent = styles.getPropertyValue("--c-accent").trim() || "#f2a900";
    var stage = numbers(data.stage);
    var byId = {};
    data.judges.forEach(function (judge) {
      byId[String(judge.id)] = judge;
    });

    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-judge-chart]"), function (canvas) {
      var judge = byId[canvas.getAttribute("data-judge-chart")];
      if (!judge) return;
      new window.Chart(canvas, {
        data: {
          labels: data.labels,
          datasets: [
            {
              type: "bar",
              label: judgeLabel,
              data: numbers(judge.percent),
              backgroundColor: primary,
              order: 2
            },
            {
              type: "line",
              label: stageLabel,
              data: stage,
              borderColor: accent,
              backgroundColor: accent,
              pointRadius: 2,
              tension: 0.3,
              order: 1
            }
          ]
        },
        options: {
          animation: reduced ? false : { duration: 300 },
          maintainAspectRatio: false,
          responsive: true,
          scales: {
            y: { beginAtZero: true, suggestedMax: 50, ticks: { callback: function (v) { return v + "%"; } } }
          },
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 12 } },
            tooltip: {
              callbacks: {
                label: function (context) {
                  return context.dataset.label + ": " + context.parsed.y + "%";
                }
              }
            }
          }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
