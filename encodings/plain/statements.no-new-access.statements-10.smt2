; perimeter benchmark query: no-new-access on statements-10 (statements)
; encoding: plain (one equality per matching action, resources as whole-string regexes, no case split)
; sat iff the property fails (the check would report FAIL)
(set-logic ALL)
(declare-datatypes ((PrincipalKind 0)) (((ANONYMOUS) (ACCOUNT_ROOT) (USER) (ROLE) (ROLE_SESSION) (FEDERATED_USER) (SERVICE) (WEB_IDENTITY) (CANONICAL_USER))))
(declare-fun new.action () Int)
(declare-fun new.principal.account () String)
(declare-fun new.principal.has_account () Bool)
(declare-fun new.principal.arn () String)
(declare-fun new.principal.has_arn () Bool)
(declare-fun new.principal.role_arn () String)
(declare-fun new.principal.has_role_arn () Bool)
(declare-fun new.resource_account () String)
(declare-fun new.has_resource_account () Bool)
(declare-fun new.principal.name () String)
(declare-fun new.principal.has_name () Bool)
(declare-fun new.resource.plain () String)
(declare-fun |new.resource.arn[5]| () String)
(declare-fun |new.resource.arn[4]| () String)
(declare-fun |new.resource.arn[3]| () String)
(declare-fun |new.resource.arn[2]| () String)
(declare-fun |new.resource.arn[1]| () String)
(declare-fun new.resource.is_arn () Bool)
(declare-fun new.resource () String)
(declare-fun new.principal.path () String)
(declare-fun new.principal.partition () String)
(declare-fun new.principal.text () String)
(declare-fun new.principal.kind () PrincipalKind)
(declare-fun new.principal.session () String)
(declare-fun new.principal.provider () String)
(assert (and (>= new.action 0) (< new.action 22779)))
(assert (=> (not new.principal.has_account) (= new.principal.account "")))
(assert (=> (not new.principal.has_arn) (= new.principal.arn "")))
(assert (=> (not new.principal.has_role_arn) (= new.principal.role_arn "")))
(assert (=> (not new.has_resource_account) (= new.resource_account "")))
(assert (=> (not new.principal.has_name) (= new.principal.name "")))
(assert (str.in_re new.principal.account
           (re.* (re.union (re.range "\u{0}" "9") (re.range ";" "\u{2ffff}")))))
(assert (= new.resource
   (ite new.resource.is_arn
        (str.++ "arn:"
                |new.resource.arn[1]|
                ":"
                |new.resource.arn[2]|
                ":"
                |new.resource.arn[3]|
                ":"
                |new.resource.arn[4]|
                ":"
                |new.resource.arn[5]|)
        new.resource.plain)))
(assert (let ((a!1 (str.in_re |new.resource.arn[1]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!2 (str.in_re |new.resource.arn[2]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!3 (str.in_re |new.resource.arn[3]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}")))))
      (a!4 (str.in_re |new.resource.arn[4]|
                      (re.* (re.union (re.range "\u{0}" "9")
                                      (re.range ";" "\u{2ffff}"))))))
  (=> new.resource.is_arn (and a!1 a!2 a!3 a!4))))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!3 (re.++ (re.++ a!2 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!4 (re.++ (re.++ a!3 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}"))))))
(let ((a!5 (str.in_re new.resource.plain
                      (re.++ (re.++ a!4 (str.to_re ":")) (re.* re.allchar)))))
  (=> (not new.resource.is_arn) (not a!5))))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re new.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                a!4
                (str.in_re new.principal.name (re.* a!3))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (= new.principal.arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":user/"
                           new.principal.path
                           new.principal.name))
                (not new.principal.has_role_arn))))
  (or (not (= new.principal.kind USER)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (str.in_re new.principal.path
                      (re.* (re.++ (re.+ a!3) (str.to_re "/"))))))
(let ((a!5 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                a!4
                (str.in_re new.principal.name (re.* a!3))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (= new.principal.arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":role/"
                           new.principal.path
                           new.principal.name))
                new.principal.has_role_arn
                (= new.principal.role_arn new.principal.arn))))
  (or (not (= new.principal.kind ROLE)) a!5)))))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.name (re.* a!3))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (str.in_re new.principal.session (re.* a!3))
                (>= (str.len new.principal.session) 1)
                (<= (str.len new.principal.session) 64)
                new.principal.has_role_arn
                (= new.principal.arn
                   (str.++ "arn:aws:sts::"
                           new.principal.account
                           ":assumed-role/"
                           new.principal.name
                           "/"
                           new.principal.session))
                (= new.principal.role_arn
                   (str.++ "arn:aws:iam::"
                           new.principal.account
                           ":role/"
                           new.principal.name)))))
  (or (not (= new.principal.kind ROLE_SESSION)) a!4))))))
(assert (let ((a!1 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (not new.principal.has_role_arn)
                (not new.principal.has_name)
                (= new.principal.arn
                   (str.++ "arn:aws:iam::" new.principal.account ":root")))))
  (or (not (= new.principal.kind ACCOUNT_ROOT)) a!1)))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "A" "Z"))
                               (re.range "0" "9"))
                     (str.to_re "+"))))
(let ((a!2 (re.union (re.union (re.union a!1 (str.to_re "=")) (str.to_re ","))
                     (str.to_re "."))))
(let ((a!3 (re.union (re.union (re.union a!2 (str.to_re "@")) (str.to_re "_"))
                     (str.to_re "-"))))
(let ((a!4 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (= new.principal.text new.principal.arn)
                (= new.principal.partition "aws")
                (str.in_re new.principal.name (re.* a!3))
                (>= (str.len new.principal.name) 1)
                (<= (str.len new.principal.name) 64)
                (not new.principal.has_role_arn)
                (= new.principal.arn
                   (str.++ "arn:aws:sts::"
                           new.principal.account
                           ":federated-user/"
                           new.principal.name)))))
  (or (not (= new.principal.kind FEDERATED_USER)) a!4))))))
(assert (or (not (= new.principal.kind ANONYMOUS))
    (and (not new.principal.has_account)
         (not new.principal.has_arn)
         (not new.principal.has_role_arn)
         (not new.principal.has_name)
         (= new.principal.text "anonymous"))))
(assert (let ((a!1 (re.union (re.union (re.union (re.range "a" "z") (re.range "0" "9"))
                               (str.to_re "."))
                     (str.to_re "-"))))
(let ((a!2 (re.++ (re.++ (re.union (re.range "a" "z") (re.range "0" "9"))
                         (re.* a!1))
                  (str.to_re ".amazonaws.com"))))
  (or (not (= new.principal.kind SERVICE))
      (and (not new.principal.has_account)
           (not new.principal.has_arn)
           (not new.principal.has_role_arn)
           (str.in_re new.principal.text a!2)
           (= new.principal.name new.principal.text))))))
(assert (let ((a!1 (and new.principal.has_account
                (str.in_re new.principal.account (re.* (re.range "0" "9")))
                (= (str.len new.principal.account) 12)
                new.principal.has_arn
                (not new.principal.has_role_arn)
                (= new.principal.partition "aws")
                (not new.principal.has_name)
                (= new.principal.text new.principal.arn)
                (> (str.len new.principal.provider) 0)
                (or (= new.principal.arn
                       (str.++ "arn:aws:iam::"
                               new.principal.account
                               ":oidc-provider/"
                               new.principal.provider))
                    (= new.principal.arn
                       (str.++ "arn:aws:iam::"
                               new.principal.account
                               ":saml-provider/"
                               new.principal.provider))))))
  (or (not (= new.principal.kind WEB_IDENTITY))
      (and (not new.principal.has_account)
           (not new.principal.has_arn)
           (not new.principal.has_role_arn)
           (or (= new.principal.text "accounts.google.com")
               (= new.principal.text "cognito-identity.amazonaws.com")
               (= new.principal.text "graph.facebook.com")
               (= new.principal.text "www.amazon.com"))
           (= new.principal.name new.principal.text))
      a!1)))
(assert (let ((a!1 (str.in_re new.principal.text
                      (re.* (re.union (re.range "0" "9") (re.range "a" "f"))))))
  (or (not (= new.principal.kind CANONICAL_USER))
      (and (not new.principal.has_account)
           (not new.principal.has_arn)
           (not new.principal.has_role_arn)
           (not new.principal.has_name)
           a!1
           (= (str.len new.principal.text) 64)))))
(assert (let ((a!1 (and (str.in_re new.resource_account (re.* (re.range "0" "9")))
                (= (str.len new.resource_account) 12))))
  (or (not new.has_resource_account) a!1)))
(assert (or (= new.principal.kind USER)
    (= new.principal.kind ROLE_SESSION)
    (= new.principal.kind ROLE)
    (= new.principal.kind FEDERATED_USER)))
(assert (or (not new.has_resource_account)
    (= new.resource_account new.principal.account)))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!3 (and (>= new.action 20986)
                (<= new.action 21002)
                (ite new.resource.is_arn
                     (or (str.prefixof "role/" |new.resource.arn[1]|)
                         (str.prefixof "role/" |new.resource.arn[2]|)
                         (str.prefixof "role/" |new.resource.arn[3]|)
                         (str.prefixof "role/" |new.resource.arn[4]|)
                         (str.prefixof "role/" |new.resource.arn[5]|)
                         (str.contains |new.resource.arn[5]| ":role/"))
                     (str.contains new.resource.plain ":role/"))))
      (a!8 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "R") (str.to_re "r")))
                  (re.union (str.to_re "N") (str.to_re "n"))))
      (a!9 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!11 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (re.union (str.to_re "Q") (str.to_re "q"))))
      (a!13 (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!18 (re.++ (re.++ (re.++ (str.to_re "1") (str.to_re "1"))
                          (str.to_re "1"))
                   (str.to_re "1")))
      (a!24 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (str.to_re "3")))
      (a!27 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-1/"))
                              (re.* re.allchar))))
      (a!32 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-3/"))
                              (re.* re.allchar))))
      (a!37 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-5/"))
                              (re.* re.allchar))))
      (a!39 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!49 (re.++ (re.union (re.union (str.to_re "K") (str.to_re "k"))
                             (str.to_re "\u{212a}"))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!56 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-9/"))
                              (re.* re.allchar)))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":kms"))
                  (re.opt (re.++ (str.to_re ":") (re.* re.allchar)))))
      (a!4 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!10 (re.++ (re.++ (re.++ a!8 (str.to_re ":")) a!9) (str.to_re ":")))
      (a!12 (re.++ a!11
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!14 (re.++ (re.++ (re.++ a!13 (str.to_re "-"))
                          (re.union (str.to_re "E") (str.to_re "e")))
                   (re.union (str.to_re "A") (str.to_re "a"))))
      (a!19 (re.++ (re.++ (re.++ a!18 (str.to_re "2")) (str.to_re "2"))
                   (str.to_re "2")))
      (a!40 (re.++ (re.++ a!39 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!50 (re.++ a!49
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}")))))
(let ((a!5 (re.++ (re.++ a!4 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!15 (re.++ a!14
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!20 (re.++ (re.++ (re.++ a!19 (str.to_re "2")) (str.to_re "3"))
                   (str.to_re "3")))
      (a!25 (re.++ (re.++ (re.++ (re.++ a!10 a!24) (str.to_re ":"))
                          (str.to_re ""))
                   (str.to_re ":")))
      (a!41 (re.++ (re.++ a!40 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (re.++ (re.++ a!5 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "T") (str.to_re "t")))
                   (str.to_re "-")))
      (a!26 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-1/") (re.* re.allchar))))
      (a!31 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-3/") (re.* re.allchar))))
      (a!36 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-5/") (re.* re.allchar))))
      (a!42 (re.++ a!10 (re.++ a!41 (re.union (str.to_re "B") (str.to_re "b")))))
      (a!55 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-9/") (re.* re.allchar)))))
(let ((a!7 (str.in_re new.resource
                      (re.++ (re.++ a!6 (str.to_re ":")) (re.* re.allchar))))
      (a!17 (re.++ (re.++ (re.++ (re.++ a!10 a!12) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!43 (re.++ (re.++ (re.++ a!42 (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!51 (re.++ (re.++ (re.++ (re.++ a!10 a!50) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":"))))
(let ((a!21 (re.++ a!17 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!28 (and (= new.action 18263)
                 (ite a!7 (and a!7 (str.in_re new.resource a!26)) a!27)))
      (a!33 (and (= new.action 18235)
                 (ite a!7 (and a!7 (str.in_re new.resource a!31)) a!32)))
      (a!38 (and (= new.action 18306)
                 (ite a!7 (and a!7 (str.in_re new.resource a!36)) a!37)))
      (a!44 (re.++ a!43 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!52 (re.++ a!51 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!57 (and (= new.action 18263)
                 (ite a!7 (and a!7 (str.in_re new.resource a!55)) a!56))))
(let ((a!22 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-0"))))
      (a!29 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-2"))))
      (a!34 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-4"))))
      (a!45 (str.in_re new.resource
                       (re.++ (re.++ a!44 (str.to_re ":"))
                              (str.to_re "table/data-6"))))
      (a!47 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-7"))))
      (a!53 (str.in_re new.resource
                       (re.++ (re.++ a!52 (str.to_re ":"))
                              (str.to_re "key/data-8")))))
(let ((a!23 (ite a!7
                 (and a!7 a!22)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-0")))))
      (a!30 (ite a!7
                 (and a!7 a!29)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-2")))))
      (a!35 (ite a!7
                 (and a!7 a!34)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-4")))))
      (a!46 (ite a!7
                 (and a!7 a!45)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:dynamodb:us-east-1:111122223333:")
                                   (str.to_re "table/data-6")))))
      (a!48 (ite a!7
                 (and a!7 a!47)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-7")))))
      (a!54 (ite a!7
                 (and a!7 a!53)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:kms:us-east-1:111122223333:")
                                   (str.to_re "key/data-8"))))))
(let ((a!58 (and (not (or (= new.principal.kind ANONYMOUS)
                          (= new.principal.kind SERVICE)
                          (= new.principal.kind WEB_IDENTITY)
                          (= new.principal.kind CANONICAL_USER)))
                 (or (and (= new.action 20353) a!23)
                     a!28
                     (and (= new.action 20353) a!30)
                     a!33
                     (and (= new.action 20355) a!35)
                     a!38
                     (and (= new.action 7087) a!46)
                     (and (= new.action 20355) a!48)
                     (and (= new.action 12373) a!54)
                     a!57))))
(let ((a!59 (ite (or (ite new.resource.is_arn
                          (= |new.resource.arn[2]| "kms")
                          (str.in_re new.resource.plain a!2))
                     a!3)
                 false
                 (or (= new.principal.kind ACCOUNT_ROOT) a!58))))
(let ((a!60 (ite (or (not new.has_resource_account)
                     (and new.principal.has_account
                          (= new.resource_account new.principal.account)))
                 a!59
                 false)))
  (or (= new.action 20992) a!60)))))))))))))
(assert (let ((a!1 (re.++ (str.to_re "arn:")
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!3 (and (>= new.action 20986)
                (<= new.action 21002)
                (ite new.resource.is_arn
                     (or (str.prefixof "role/" |new.resource.arn[1]|)
                         (str.prefixof "role/" |new.resource.arn[2]|)
                         (str.prefixof "role/" |new.resource.arn[3]|)
                         (str.prefixof "role/" |new.resource.arn[4]|)
                         (str.prefixof "role/" |new.resource.arn[5]|)
                         (str.contains |new.resource.arn[5]| ":role/"))
                     (str.contains new.resource.plain ":role/"))))
      (a!8 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "R") (str.to_re "r")))
                  (re.union (str.to_re "N") (str.to_re "n"))))
      (a!9 (re.++ (re.++ (re.union (str.to_re "A") (str.to_re "a"))
                         (re.union (str.to_re "W") (str.to_re "w")))
                  (re.union (re.union (str.to_re "S") (str.to_re "s"))
                            (str.to_re "\u{17f}"))))
      (a!11 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (re.union (str.to_re "Q") (str.to_re "q"))))
      (a!13 (re.++ (re.union (str.to_re "U") (str.to_re "u"))
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!18 (re.++ (re.++ (re.++ (str.to_re "1") (str.to_re "1"))
                          (str.to_re "1"))
                   (str.to_re "1")))
      (a!24 (re.++ (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))
                   (str.to_re "3")))
      (a!27 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-1/"))
                              (re.* re.allchar))))
      (a!32 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-3/"))
                              (re.* re.allchar))))
      (a!37 (str.in_re new.resource
                       (re.++ (re.++ (str.to_re "arn:aws:s3:::")
                                     (str.to_re "data-5/"))
                              (re.* re.allchar))))
      (a!39 (re.++ (re.++ (re.union (str.to_re "D") (str.to_re "d"))
                          (re.union (str.to_re "Y") (str.to_re "y")))
                   (re.union (str.to_re "N") (str.to_re "n"))))
      (a!49 (re.++ (re.union (re.union (str.to_re "K") (str.to_re "k"))
                             (str.to_re "\u{212a}"))
                   (re.union (str.to_re "M") (str.to_re "m")))))
(let ((a!2 (re.++ (re.++ a!1 (str.to_re ":kms"))
                  (re.opt (re.++ (str.to_re ":") (re.* re.allchar)))))
      (a!4 (re.++ (re.++ a!1 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!10 (re.++ (re.++ (re.++ a!8 (str.to_re ":")) a!9) (str.to_re ":")))
      (a!12 (re.++ a!11
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!14 (re.++ (re.++ (re.++ a!13 (str.to_re "-"))
                          (re.union (str.to_re "E") (str.to_re "e")))
                   (re.union (str.to_re "A") (str.to_re "a"))))
      (a!19 (re.++ (re.++ (re.++ a!18 (str.to_re "2")) (str.to_re "2"))
                   (str.to_re "2")))
      (a!40 (re.++ (re.++ a!39 (re.union (str.to_re "A") (str.to_re "a")))
                   (re.union (str.to_re "M") (str.to_re "m"))))
      (a!50 (re.++ a!49
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}")))))
(let ((a!5 (re.++ (re.++ a!4 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!15 (re.++ a!14
                   (re.union (re.union (str.to_re "S") (str.to_re "s"))
                             (str.to_re "\u{17f}"))))
      (a!20 (re.++ (re.++ (re.++ a!19 (str.to_re "2")) (str.to_re "3"))
                   (str.to_re "3")))
      (a!25 (re.++ (re.++ (re.++ (re.++ a!10 a!24) (str.to_re ":"))
                          (str.to_re ""))
                   (str.to_re ":")))
      (a!41 (re.++ (re.++ a!40 (re.union (str.to_re "O") (str.to_re "o")))
                   (re.union (str.to_re "D") (str.to_re "d")))))
(let ((a!6 (re.++ (re.++ a!5 (str.to_re ":"))
                  (re.* (re.union (re.range "\u{0}" "9")
                                  (re.range ";" "\u{2ffff}")))))
      (a!16 (re.++ (re.++ a!15 (re.union (str.to_re "T") (str.to_re "t")))
                   (str.to_re "-")))
      (a!26 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-1/") (re.* re.allchar))))
      (a!31 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-3/") (re.* re.allchar))))
      (a!36 (re.++ (re.++ (re.++ a!25 (str.to_re "")) (str.to_re ":"))
                   (re.++ (str.to_re "data-5/") (re.* re.allchar))))
      (a!42 (re.++ a!10 (re.++ a!41 (re.union (str.to_re "B") (str.to_re "b"))))))
(let ((a!7 (str.in_re new.resource
                      (re.++ (re.++ a!6 (str.to_re ":")) (re.* re.allchar))))
      (a!17 (re.++ (re.++ (re.++ (re.++ a!10 a!12) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!43 (re.++ (re.++ (re.++ a!42 (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":")))
      (a!51 (re.++ (re.++ (re.++ (re.++ a!10 a!50) (str.to_re ":"))
                          (re.++ a!16 (str.to_re "1")))
                   (str.to_re ":"))))
(let ((a!21 (re.++ a!17 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!28 (and (= new.action 18263)
                 (ite a!7 (and a!7 (str.in_re new.resource a!26)) a!27)))
      (a!33 (and (= new.action 18235)
                 (ite a!7 (and a!7 (str.in_re new.resource a!31)) a!32)))
      (a!38 (and (= new.action 18306)
                 (ite a!7 (and a!7 (str.in_re new.resource a!36)) a!37)))
      (a!44 (re.++ a!43 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3"))))
      (a!52 (re.++ a!51 (re.++ (re.++ a!20 (str.to_re "3")) (str.to_re "3")))))
(let ((a!22 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-0"))))
      (a!29 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-2"))))
      (a!34 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-4"))))
      (a!45 (str.in_re new.resource
                       (re.++ (re.++ a!44 (str.to_re ":"))
                              (str.to_re "table/data-6"))))
      (a!47 (str.in_re new.resource
                       (re.++ (re.++ a!21 (str.to_re ":")) (str.to_re "data-7"))))
      (a!53 (str.in_re new.resource
                       (re.++ (re.++ a!52 (str.to_re ":"))
                              (str.to_re "key/data-8")))))
(let ((a!23 (ite a!7
                 (and a!7 a!22)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-0")))))
      (a!30 (ite a!7
                 (and a!7 a!29)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-2")))))
      (a!35 (ite a!7
                 (and a!7 a!34)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-4")))))
      (a!46 (ite a!7
                 (and a!7 a!45)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:dynamodb:us-east-1:111122223333:")
                                   (str.to_re "table/data-6")))))
      (a!48 (ite a!7
                 (and a!7 a!47)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:sqs:us-east-1:111122223333:")
                                   (str.to_re "data-7")))))
      (a!54 (ite a!7
                 (and a!7 a!53)
                 (str.in_re new.resource
                            (re.++ (str.to_re "arn:aws:kms:us-east-1:111122223333:")
                                   (str.to_re "key/data-8"))))))
(let ((a!55 (and (not (or (= new.principal.kind ANONYMOUS)
                          (= new.principal.kind SERVICE)
                          (= new.principal.kind WEB_IDENTITY)
                          (= new.principal.kind CANONICAL_USER)))
                 (or (and (= new.action 20353) a!23)
                     a!28
                     (and (= new.action 20353) a!30)
                     a!33
                     (and (= new.action 20355) a!35)
                     a!38
                     (and (= new.action 7087) a!46)
                     (and (= new.action 20355) a!48)
                     (and (= new.action 12373) a!54)))))
(let ((a!56 (ite (or (ite new.resource.is_arn
                          (= |new.resource.arn[2]| "kms")
                          (str.in_re new.resource.plain a!2))
                     a!3)
                 false
                 (or (= new.principal.kind ACCOUNT_ROOT) a!55))))
(let ((a!57 (ite (or (not new.has_resource_account)
                     (and new.principal.has_account
                          (= new.resource_account new.principal.account)))
                 a!56
                 false)))
  (not (or (= new.action 20992) a!57))))))))))))))
(check-sat)
(exit)
