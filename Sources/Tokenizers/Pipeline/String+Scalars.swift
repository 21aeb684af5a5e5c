extension String {
    /// The string of exactly these scalars (no normalization).
    init<S: Sequence<Unicode.Scalar>>(scalars: S) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.init(view)
    }
}
