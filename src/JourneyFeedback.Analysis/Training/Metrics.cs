namespace JourneyFeedback.Analysis.Training;

/// <summary>Small metric helpers (pure functions) used by training and evaluation.</summary>
internal static class Metrics
{
    public readonly record struct BinaryCounts(int TruePositives, int FalsePositives, int FalseNegatives)
    {
        public double Precision => TruePositives + FalsePositives == 0 ? 0 : (double)TruePositives / (TruePositives + FalsePositives);
        public double Recall => TruePositives + FalseNegatives == 0 ? 0 : (double)TruePositives / (TruePositives + FalseNegatives);
        public double F1 => 2 * TruePositives + FalsePositives + FalseNegatives == 0 ? 0
            : 2.0 * TruePositives / (2 * TruePositives + FalsePositives + FalseNegatives);
    }

    public static BinaryCounts Count(IReadOnlyList<bool> gold, IReadOnlyList<bool> predicted)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < gold.Count; i++)
        {
            if (predicted[i] && gold[i])
            {
                tp++;
            }
            else if (predicted[i])
            {
                fp++;
            }
            else if (gold[i])
            {
                fn++;
            }
        }
        return new BinaryCounts(tp, fp, fn);
    }

    public static double Accuracy<T>(IReadOnlyList<T> gold, IReadOnlyList<T> predicted)
    {
        int correct = 0;
        for (int i = 0; i < gold.Count; i++)
        {
            if (EqualityComparer<T>.Default.Equals(gold[i], predicted[i]))
            {
                correct++;
            }
        }
        return gold.Count == 0 ? 0 : (double)correct / gold.Count;
    }

    /// <summary>Single-label macro-F1 over the given classes (a class absent from gold and predictions scores 0).</summary>
    public static double MacroF1(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, IReadOnlyList<string> classes) =>
        classes.Average(c => Count(gold.Select(g => g == c).ToList(), predicted.Select(p => p == c).ToList()).F1);

    /// <summary>
    /// The threshold in 0.02..0.98 (step 0.01) with the best F1 on tuning data; the lowest such threshold on ties.
    /// </summary>
    public static (float Threshold, double F1) BestF1Threshold(IReadOnlyList<float> scores, IReadOnlyList<bool> gold)
    {
        float best = 0.5f;
        double bestF1 = -1;
        for (int step = 2; step <= 98; step++)
        {
            float threshold = step / 100f;
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < scores.Count; i++)
            {
                bool predicted = scores[i] >= threshold;
                if (predicted && gold[i])
                {
                    tp++;
                }
                else if (predicted)
                {
                    fp++;
                }
                else if (gold[i])
                {
                    fn++;
                }
            }
            double f1 = 2 * tp + fp + fn == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
            if (f1 > bestF1 + 1e-12)
            {
                bestF1 = f1;
                best = threshold;
            }
        }
        return (best, bestF1);
    }
}
